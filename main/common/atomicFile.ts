import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { appendFile, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as v from 'valibot';
import { describeIssues } from '../../shared/wire/validation';
import { errorMessage } from '../../shared/errorMessage';

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

/** A file that exists but cannot be used: not a regular file, too large, not JSON, or not the expected shape. */
export class DamagedFileError extends Error {}

const reasons: Record<string, string> = { EISDIR: 'it is a folder, not a file', EACCES: 'permission denied', ELOOP: 'it is a link loop' };

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Missing files reject with the ENOENT error
 * as it is (callers tell "absent" from "damaged"); anything else unusable is a DamagedFileError.
 */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') throw error;
    throw new DamagedFileError(reasons[code] ?? errorMessage(error));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new DamagedFileError('it is not a regular file');
    if (info.size > maxBytes) throw new DamagedFileError(`it is ${info.size} bytes, more than the ${maxBytes} it may have`);
    return await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof DamagedFileError) throw error;
    throw new DamagedFileError(reasons[(error as NodeJS.ErrnoException).code ?? ''] ?? errorMessage(error));
  } finally {
    await handle.close();
  }
}

/** Reads, parses and validates a JSON file; every failure but absence is a DamagedFileError saying why. */
export async function readValidatedJson<T extends v.GenericSchema>(path: string, schema: T, maxBytes = 16 * 1024 * 1024): Promise<v.InferOutput<T>> {
  const text = await readTextFile(path, maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DamagedFileError(`it is not JSON (${errorMessage(error)})`);
  }
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success) throw new DamagedFileError(describeIssues(parsed.issues));
  return parsed.output;
}

export const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/** Reads a JSON-lines file; returns the parsed lines and how many could not be parsed. */
export async function readJsonLines(path: string, maxBytes: number): Promise<{ values: unknown[]; badLines: number }> {
  const text = await readTextFile(path, maxBytes);
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
