import { execFileSync } from 'node:child_process';

export interface CliRun {
  preset: 'seed-mlp' | 'seed-cnn' | 'deep-cnn';
  name?: string;
  limit: number;
  testLimit: number;
  epochs: number;
  batchSize?: number;
  seed?: number;
}

/** Trains a run with the CLI (`npm run train`) into `dataDir`, as a user would before opening the app; returns its id. */
export function trainWithCli(dataDir: string, run: CliRun): string {
  const args = ['train', '--preset', run.preset, '--limit', String(run.limit), '--test-limit', String(run.testLimit), '--epochs', String(run.epochs)];
  if (run.name) args.push('--name', run.name);
  if (run.batchSize) args.push('--batch-size', String(run.batchSize));
  if (run.seed !== undefined) args.push('--seed', String(run.seed));
  const output = execFileSync(process.execPath, ['dist/main/cli.cjs', ...args, '--data-dir', dataDir, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const done = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; runId?: string })
    .find((line) => line.type === 'done');
  if (!done?.runId) throw new Error(`npm run train ${args.join(' ')} ended without a run`);
  return done.runId;
}
