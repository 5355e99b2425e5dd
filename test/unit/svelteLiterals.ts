import { readFileSync } from 'node:fs';
import { parse } from 'svelte/compiler';
import { englishWords } from '../englishWords';

/** A piece of user-visible English written straight into a component instead of taken from the message catalogue. */
export interface SvelteLiteral {
  file: string;
  line: number;
  text: string;
}

/** Attributes whose values a user reads or hears (tooltips, screen-reader names, hints). */
const visibleAttributes = new Set(['title', 'aria-label', 'aria-description', 'placeholder', 'alt', 'label', 'aria-valuetext']);

interface Node {
  type: string;
  start: number;
  data?: string;
  name?: string;
  value?: true | Node | Node[];
  [key: string]: unknown;
}

/** Every user-visible literal in one .svelte file's markup: text between tags and the values of visibleAttributes. */
export function svelteLiterals(file: string): SvelteLiteral[] {
  const source = readFileSync(file, 'utf8');
  const ast = parse(source, { modern: true });
  const found: SvelteLiteral[] = [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const report = (node: Node, text: string) => {
    if (englishWords(text).length > 0) found.push({ file, line: lineOf(node.start), text: text.trim() });
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const n = node as Node;
    if (n.type === 'Style' || n.type === 'Script') return;
    if (n.type === 'Text' && typeof n.data === 'string') report(n, n.data);
    if (n.type === 'Attribute' && n.name && visibleAttributes.has(n.name) && Array.isArray(n.value)) {
      for (const part of n.value) if (part.type === 'Text' && typeof part.data === 'string') report(part, part.data);
      return;
    }
    if (n.type === 'Attribute') return;
    for (const [key, value] of Object.entries(n)) if (key !== 'type' && key !== 'start' && key !== 'end') visit(value);
  };
  visit(ast.fragment);
  return found;
}
