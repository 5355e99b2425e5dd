import { parseArgs } from 'node:util';
import { errorMessage } from '../../shared/errorMessage';

export class UsageError extends Error {}

/** One option of a command, with the line `--help` prints for it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (the values come as a list). */
  multiple?: boolean;
  /** What the value looks like in help, e.g. `N` or `auto|cuda|cpu|wasm|js`. */
  value?: string;
  default?: string | boolean;
  help: string;
}

export type OptionTable = Record<string, OptionSpec>;

/** The edit distance between two short strings, for suggesting the option a typo meant. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known option nearest to an unknown one, when it is near enough to be what was meant. */
export function nearestOption(unknown: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(unknown, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(unknown.length / 3)) ? best : null;
}

/** parseArgs with strict checking; errors become UsageErrors, an unknown option names the nearest known one. */
export type ParsedOptions = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function parseCommandArgs(args: string[], table: OptionTable): ParsedOptions;
export function parseCommandArgs(args: string[], table: OptionTable, positionals: true): { options: ParsedOptions; positionals: string[] };
export function parseCommandArgs(args: string[], table: OptionTable, positionals = false): ParsedOptions | { options: ParsedOptions; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(table).map(([name, o]) => [
      name,
      { type: o.type, multiple: o.multiple ?? false, ...(o.default !== undefined ? { default: o.default } : {}) },
    ]),
  );
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals });
    return positionals ? { options: parsed.values, positionals: parsed.positionals } : parsed.values;
  } catch (error) {
    const unknown = /Unknown option '--?([^']+)'/.exec(errorMessage(error))?.[1];
    if (unknown) {
      const near = nearestOption(unknown, Object.keys(table));
      throw new UsageError(`unknown option --${unknown}${near ? `; did you mean --${near}?` : ''}`);
    }
    throw new UsageError(errorMessage(error));
  }
}

/** `--help`'s text: the usage line, then one line per option. */
export function helpText(usage: string, table: OptionTable): string {
  const rows = Object.entries(table).map(([name, o]) => [`--${name}${o.value ? ` ${o.value}` : ''}`, o.help] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [usage, '', 'Options:', ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`)].join('\n');
}

/** A string option's value (undefined when absent). */
export function stringOption(options: ParsedOptions, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number of at least 1, not ${JSON.stringify(value)}`);
  return n;
}

export function nonNegativeInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} needs a whole number of at least 0, not ${JSON.stringify(value)}`);
  return n;
}
