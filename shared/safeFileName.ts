/** A name safe for a file, from a design or run name: letters, digits, spaces, - and _ only. */
export function safeFileName(name: string, fallback: string): string {
  return name.replace(/[^\w\- ]+/g, '').trim() || fallback;
}
