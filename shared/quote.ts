/**
 * Shortens text that came from outside before it goes into a message: a client may send a 15 MB
 * string, and an error must not echo it back in full.
 */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A value as JSON, clipped: for naming a bad value in an error message. */
export function quote(value: unknown, max = 60): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return clip(json ?? String(value), max);
}
