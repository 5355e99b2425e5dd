import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Reads a file of the built renderer, refusing paths that climb out of it. */
export async function readStaticFile(root: string, urlPath: string): Promise<{ body: Buffer; contentType: string } | null> {
  const relative = normalize(decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath)).replace(/^([/\\])+/, '');
  const path = join(root, relative);
  if (!path.startsWith(root + sep)) return null;
  try {
    return { body: await readFile(path), contentType: contentTypes[extname(path)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
