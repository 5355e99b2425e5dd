import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { softwareWebGpuUnavailable } from './softwareWebGpu';
import { tempDir } from './tempDir';

// WebGPU on this machine is the software adapter (see softwareWebGpu.ts).
const skipReason = softwareWebGpuUnavailable();
if (skipReason) console.log(`Skipping the WebGPU training test: ${skipReason}`);

describe('training on WebGPU', () => {
  it.skipIf(skipReason !== null)(
    'a forced --backend webgpu trains the seed baseline on the software adapter and says so',
    () => {
      const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');
      const result = spawnSync(
        process.execPath,
        [
          cli,
          'train',
          '--preset',
          'seed-mlp',
          '--backend',
          'webgpu',
          '--limit',
          '600',
          '--test-limit',
          '300',
          '--epochs',
          '1',
          '--json',
          '--data-dir',
          tempDir('webgpu'),
        ],
        {
          encoding: 'utf8',
          timeout: 240_000,
        },
      );
      expect(result.status).toBe(0);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ type: 'backend', active: 'webgpu' });
      expect(lines.at(-1)).toMatchObject({ type: 'done' });
      expect(lines.at(-1)!.testAccuracy as number).toBeGreaterThanOrEqual(0.6);
    },
    240_000,
  );
});
