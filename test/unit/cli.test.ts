import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { builtInMnistDirectory } from '../../main/core/datasets/datasetStore';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './tempDir';

const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasScript) console.log("Skipping the pseudo-terminal progress test: util-linux's `script` is not installed");
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('npm run train', () => {
  it('refuses bad arguments with exit code 2 and a usage line', () => {
    for (const args of [
      ['--preset', 'nope'],
      ['--preset', 'seed-mlp', '--epochs', '0'],
      ['--preset', 'seed-mlp', '--backend', 'tpu'],
      ['--preset', 'seed-mlp', '--threads', '0'],
      ['--preset', 'seed-mlp', '--wat'],
    ]) {
      const result = run('train', ...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^usage: npm run train -- --preset/m);
    }
  });

  it("checks the run with the API's own schema before anything starts, leaving no failed run behind", () => {
    const dataDir = tempDir('cli-schema');
    const result = run('train', '--preset', 'seed-mlp', '--epochs', '100000', '--data-dir', dataDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^--epochs: Invalid value: Expected <=1000 but received 100000$/m);
    expect(existsSync(join(dataDir, 'runs')) ? readdirSync(join(dataDir, 'runs')) : []).toEqual([]);
  });

  it('says in words when --data-dir names a file, or sits under one', () => {
    const file = join(tempDir('cli-data-file'), 'notes.txt');
    writeFileSync(file, 'keep me');
    const onFile = run('train', '--preset', 'seed-mlp', '--data-dir', file);
    expect(onFile.status).toBe(1);
    expect(onFile.stderr).toBe(`the data folder ${file} is a file, not a folder: name a folder (it is made if missing)\n`);
    const under = run('predict', '--data-dir', join(file, 'lab'), 'digit.png');
    expect(under.stderr).toBe(`cannot make the data folder ${join(file, 'lab')}: ${file} is a file, not a folder\n`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('suggests the nearest option for an unknown one', () => {
    const result = run('train', '--preset', 'seed-mlp', '--epoch', '3');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^unknown option --epoch; did you mean --epochs\?$/m);
  });

  it('--help prints every option on a line of its own', () => {
    const result = run('train', '--help');
    expect(result.status).toBe(0);
    for (const option of ['preset', 'epochs', 'batch-size', 'limit', 'test-limit', 'backend', 'data-dir', 'dataset', 'seed', 'name', 'json']) {
      expect(result.stdout).toMatch(new RegExp(`^  --${option}\\b.*\\S{3,}.*$`, 'm'));
    }
  });

  it('with --json prints one JSON object per line and nothing else', () => {
    // Three threads, whatever the core count: more threads than cores is allowed.
    const result = run(
      'train',
      '--preset',
      'seed-mlp',
      '--limit',
      '400',
      '--test-limit',
      '200',
      '--epochs',
      '2',
      '--backend',
      'wasm',
      '--threads',
      '3',
      '--json',
      '--data-dir',
      tempDir('cli'),
    );
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['backend', 'epoch', 'epoch', 'done']);
    expect(lines[0]).toMatchObject({ active: 'wasm', threads: 3 });
    expect(Object.keys(lines[1]!).sort()).toEqual(['accuracy', 'epoch', 'imagesPerSecond', 'loss', 'seconds', 'type', 'valAccuracy', 'valLoss']);
    expect(lines[3]).toMatchObject({ type: 'done', stoppedBy: 'epochs', bestEpoch: expect.any(Number), testAccuracy: expect.any(Number) });
  });

  it('without a terminal, prints batch progress as plain lines and ends with where the model is', () => {
    const dataDir = tempDir('cli-plain');
    const result = run('train', '--preset', 'seed-mlp', '--limit', '20000', '--test-limit', '200', '--epochs', '1', '--data-dir', dataDir);
    expect(result.status).toBe(0);
    // Nothing but what concerns the user: libwayland's and Dawn's chatter is sorted out of the worker's output.
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('\r');
    expect(result.stdout).toMatch(/^ {0,2}\d+\/100 \[=*>?\.*\] - ETA: \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/m);
    expect(result.stdout).toMatch(new RegExp(`^Saved model: ${dataDir}/runs/[\\w-]+/model$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^Evaluation: ${dataDir}/runs/[\\w-]+/eval.json$`, 'm'));
  });

  it.skipIf(!hasScript)('on a terminal, redraws one progress line in place, as Keras does', () => {
    const command = [
      process.execPath,
      cli,
      'train',
      '--preset',
      'seed-mlp',
      '--limit',
      '20000',
      '--test-limit',
      '200',
      '--epochs',
      '1',
      '--data-dir',
      tempDir('cli-tty'),
    ].join(' ');
    // util-linux `script` runs the command under a pseudo-terminal.
    const result = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(0);
    const redraws = result.stdout.match(/\r {0,2}\d+\/100 \[[=>.]{30}\] - ETA/g) ?? [];
    expect(redraws.length).toBeGreaterThan(3);
    expect(result.stdout).toMatch(/Epoch 1\/1 - /);
  });

  it.skipIf(process.platform === 'win32')('Ctrl-C in the terminal stops after the batch and still evaluates the best checkpoint', async () => {
    // A terminal's Ctrl-C sends SIGINT to its whole process group: the CLI and its worker alike.
    const child = spawn(
      process.execPath,
      [cli, 'train', '--preset', 'seed-mlp', '--limit', '20000', '--test-limit', '500', '--epochs', '50', '--data-dir', tempDir('cli-sigint')],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/^Epoch 1\//m.test(stdout)) resolve();
      }),
    );
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/Stopping after the current batch/);
    expect(stdout).toMatch(/^Best epoch 1, run /m);
    expect(stdout).toMatch(/^Test accuracy: 0\.\d{4}$/m);
  });
});

describe('npm run predict', () => {
  it('reads digits in PNG and JPEG files with the latest run, reports a bad file and still reads the others', () => {
    const dataDir = tempDir('cli-predict');
    expect(run('train', '--preset', 'seed-mlp', '--limit', '20000', '--test-limit', '200', '--epochs', '1', '--data-dir', dataDir).status).toBe(0);
    const test = readFileSync(join(builtInMnistDirectory(), 't10k-images-idx3-ubyte'));
    // Test image 0 (a 7), drawn 8× large as dark ink on light paper, as a PNG and as a JPEG.
    const rgba = Buffer.alloc(300 * 300 * 4, 255);
    for (let y = 0; y < 224; y++)
      for (let x = 0; x < 224; x++)
        rgba.fill(255 - test[16 + Math.floor(y / 8) * 28 + Math.floor(x / 8)]!, ((y + 40) * 300 + x + 30) * 4, ((y + 40) * 300 + x + 30) * 4 + 3);
    const dir = tempDir('pictures');
    const png = new PNG({ width: 300, height: 300 });
    rgba.copy(png.data);
    writeFileSync(join(dir, 'seven.png'), PNG.sync.write(png));
    writeFileSync(join(dir, 'seven.jpg'), jpeg.encode({ data: rgba, width: 300, height: 300 }, 90).data);
    writeFileSync(join(dir, 'notes.txt'), 'not a picture');
    const result = run('predict', '--data-dir', dataDir, '--json', join(dir, 'seven.png'), join(dir, 'notes.txt'), join(dir, 'seven.jpg'));
    expect(result.status).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; digit?: number; probabilities?: number[]; error?: string });
    expect(lines.map((l) => [l.file.split('/').pop(), l.digit ?? l.error])).toEqual([
      ['seven.png', 7],
      ['notes.txt', 'it is neither a PNG nor a JPEG'],
      ['seven.jpg', 7],
    ]);
    expect(lines[0]!.probabilities).toHaveLength(10);
    const [runId] = readdirSync(join(dataDir, 'runs'));
    expect(lines.map((l) => (l as { run?: string }).run)).toEqual([runId, runId, runId]);
    const text = run('predict', '--data-dir', dataDir, join(dir, 'seven.png'));
    expect(text.stdout).toMatch(
      new RegExp(`^Read by run "Seed baseline [^"]*" \\(${runId}, completed, test accuracy \\d+\\.\\d\\d %\\)\\n.*seven\\.png: 7 \\(`),
    );
  });
});
