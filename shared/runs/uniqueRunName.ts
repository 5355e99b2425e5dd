/** Run names are at most this long (RunSpecSchema). */
const maxNameLength = 120;

/**
 * `name`, or `name (2)`, `name (3)`… whichever no run in `taken` has yet, so two runs of one
 * name never sit side by side in the history and the pickers. The number replaces the end of a
 * name too long to take it.
 */
export function uniqueRunName(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, maxNameLength - suffix.length)}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}
