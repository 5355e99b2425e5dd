import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './tempDir';

const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('npm run train', () => {
  it('refuses bad arguments with exit code 2 and a usage line', () => {
    for (const args of [['--preset', 'nope'], ['--preset', 'seed-mlp', '--epochs', '0'], ['--preset', 'seed-mlp', '--backend', 'tpu'], ['--preset', 'seed-mlp', '--wat']]) {
      const result = run('train', ...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^usage: npm run train -- --preset/m);
    }
  });

  it('with --json prints one JSON object per line and nothing else', () => {
    const result = run('train', '--preset', 'seed-mlp', '--limit', '400', '--test-limit', '200', '--epochs', '2', '--json', '--data-dir', tempDir('cli'));
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['backend', 'epoch', 'epoch', 'done']);
    expect(Object.keys(lines[1]!).sort()).toEqual(['accuracy', 'epoch', 'imagesPerSecond', 'loss', 'seconds', 'type', 'valAccuracy', 'valLoss']);
    expect(lines[3]).toMatchObject({ type: 'done', stoppedBy: 'epochs', bestEpoch: expect.any(Number), testAccuracy: expect.any(Number) });
  });
});
