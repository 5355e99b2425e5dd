import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system temp folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mnist-lab-${prefix}-`));
}
