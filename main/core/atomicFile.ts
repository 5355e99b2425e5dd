import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** Writes a file so a crash leaves either the old or the new content, never half of one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Appends one JSON line; a line torn by a crash is skipped by readJsonLines. */
export async function appendJsonLine(path: string, value: unknown): Promise<void> {
  await appendFile(path, JSON.stringify(value) + '\n');
}

export async function readJsonFile(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** Reads a JSON-lines file; returns the parsed lines and how many could not be parsed. */
export async function readJsonLines(path: string): Promise<{ values: unknown[]; badLines: number }> {
  const text = await readFile(path, 'utf8');
  const values: unknown[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      badLines++;
    }
  }
  return { values, badLines };
}
