import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { seedSpec } from './labHarness';
import { startServerProcess } from './serverProcess';

describe('stopping `npm run serve`', () => {
  it.skipIf(process.platform === 'win32')('Ctrl-C while a run trains stops it after the batch and evaluates it before exiting', async () => {
    const server = await startServerProcess();
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { cookie: server.cookie } });
    await new Promise((resolve) => socket.once('open', resolve));
    const firstEpoch = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        const message = decodeFrame(new Uint8Array(data as Buffer)) as { type: string; name?: string };
        if (message.type === 'event' && message.name === 'train:epoch') resolve();
      }),
    );
    const spec = seedSpec('seed-mlp', { epochs: 50, trainLimit: 20_000, testLimit: 300, earlyStopping: null });
    socket.send(encodeFrame({ type: 'request', id: 1, method: 'startTraining', params: spec }));
    await firstEpoch;
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(server.stderr()).toMatch(/Stopping the run after its current batch/);

    const runsDir = join(server.dataDir, 'runs');
    const [runId] = readdirSync(runsDir);
    const state = JSON.parse(readFileSync(join(runsDir, runId!, 'run.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'stopped', stoppedBy: 'user', testAccuracy: expect.any(Number) });
    expect(readdirSync(join(runsDir, runId!))).toContain('eval.json');
  });
});
