import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { labMethods } from '../../shared/api';
import { encodeFrame } from '../../shared/wire/frameCodec';
import { normalCall, peakMemoryMB, rawExchange, rawWebSocket, startServerProcess, wsFrame, type ServerProcess } from './serverProcess';

// Seeded, bounded fuzzing of browser mode on loopback: random and mutated WebSocket frames and
// HTTP requests. Whatever arrives, the server must answer a normal call afterwards and stay
// within a stated memory bound.

/** The bound on the server's peak resident memory: MNIST unpacked is 55 MB, the runtime ~100 MB. */
const peakMemoryBoundMB = 400;
const wsMessages = 5000;
const httpRequests = 1500;
const timeBudgetMs = 90_000;

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20261128);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
const methods = Object.keys(labMethods);
const oddValues: unknown[] = [
  null,
  -1,
  1e308,
  'x'.repeat(5000),
  '%E0',
  '../../etc/passwd',
  [],
  {},
  { $bin: 'Float64Array', offset: 0, length: 1e9 },
  true,
  'mnist',
];

/** A plausible request with random parameters, or a valid one with some bytes flipped. */
function fuzzedMessage(): Uint8Array {
  const params =
    random() < 0.3
      ? undefined
      : Object.fromEntries(
          Array.from({ length: int(4) }, () => [pick(['datasetId', 'runId', 'split', 'offset', 'count', 'label', 'name', 'directory', 'x']), pick(oddValues)]),
        );
  const frame = encodeFrame({
    type: pick(['request', 'request', 'event', 1]),
    id: pick([int(1000), -1, 'a', 1.5]),
    method: pick([...methods, 'constructor', '__proto__', '']),
    params,
  });
  switch (int(4)) {
    case 0:
      return bytes(int(300));
    case 1:
      for (let i = 0; i < 1 + int(6); i++) frame[int(frame.length)] = int(256);
      return frame;
    default:
      return frame;
  }
}

/** A WebSocket frame: mostly well-formed binary messages, sometimes a protocol violation. */
function fuzzedFrame(): Uint8Array {
  if (random() < 0.9) return wsFrame({ opcode: 2, payload: fuzzedMessage() });
  return wsFrame({ opcode: pick([0, 1, 3, 7, 8, 9, 10, 11, 15]), payload: bytes(int(200)), rsv: int(8), fin: random() < 0.8, masked: random() < 0.8 });
}

function fuzzedHttpRequest(server: ServerProcess): Uint8Array | string {
  if (random() < 0.15) return bytes(1 + int(400));
  const method = pick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'BREW', '']);
  const path = pick([
    '/',
    '/%E0',
    '/%00',
    '/..%2F..%2Fetc%2Fpasswd',
    '//evil.example/',
    'http://a:99999/',
    '*',
    '/api',
    '/?token=%FF',
    `/?token=${server.token}`,
    '/assets/../../x',
  ]);
  const headers = [
    pick(['Host: x', 'Host: ', '', `Host: 127.0.0.1:${server.port}`]),
    pick(['', `Cookie: ${server.cookie}`, `Cookie: mnist_lab_token_${server.port}=%E0`, 'Cookie: ;;;==', `Cookie: ${'a'.repeat(9000)}`]),
    pick([
      '',
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Content-Length: -1',
      'Transfer-Encoding: chunked',
      'Origin: http://evil.example',
    ]),
    'Connection: close',
  ].filter(Boolean);
  return `${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`;
}

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.stop());

describe('fuzzing browser mode', () => {
  it(`survives ${wsMessages} random WebSocket frames and ${httpRequests} random HTTP requests, within ${peakMemoryBoundMB} MB`, async () => {
    const started = Date.now();
    let socket: Socket | null = null;
    let sent = 0;
    while (sent < wsMessages && Date.now() - started < timeBudgetMs) {
      if (!socket || socket.destroyed) {
        socket = await rawWebSocket(server);
        socket.on('error', () => undefined);
        socket.on('data', () => undefined);
      }
      socket.write(fuzzedFrame());
      sent++;
      if (sent % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket?.destroy();
    for (let i = 0; i < httpRequests && Date.now() - started < timeBudgetMs; i++) await rawExchange(server.port, fuzzedHttpRequest(server), 500);

    expect(server.child.exitCode).toBeNull();
    expect(await normalCall(server)).toMatchObject({ ok: true, result: { total: 10_000 } });
    const peak = peakMemoryMB(server.child.pid!);
    if (peak !== null) {
      console.log(`fuzz: ${sent} frames, peak server memory ${peak.toFixed(0)} MB`);
      expect(peak).toBeLessThan(peakMemoryBoundMB);
    }
  }, 180_000);
});
