/**
 * A message template with its {name}s replaced by what `value` gives for each name; a name it gives nothing for stays
 * as written. The server's error reasons, the designer's problems and the renderer's catalogue all fill through this.
 */
export function fillTemplate(template: string, value: (name: string) => string | undefined): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => value(name) ?? whole);
}
