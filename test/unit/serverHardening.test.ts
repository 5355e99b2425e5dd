import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { attachWsTransport, maxRequestBytes } from '../../main/server/wsTransport';
import { encodeFrame, decodeFrame } from '../../shared/wire/frameCodec';
import { normalCall, rawExchange, rawWebSocket, startServerProcess, wsFrame, type ServerProcess } from './serverProcess';

// Each case sends what a hostile or broken client sent in the probe of issue 7, then checks the
// same server process still answers a normal call.

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.stop());

async function expectStillServing(): Promise<void> {
  expect(server.child.exitCode).toBeNull();
  expect(await normalCall(server)).toMatchObject({ type: 'response', id: 1, ok: true, result: { total: 10_000 } });
}

const upgradeHeaders = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

describe('requests that used to end the server', () => {
  it('a badly encoded cookie without the token gets 401, on HTTP and on an upgrade', async () => {
    expect(await rawExchange(server.port, `GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: mnist_lab_token_${server.port}=%E0\r\n\r\n`)).toMatch(
      /^HTTP\/1.1 401/,
    );
    expect(
      await rawExchange(
        server.port,
        `GET /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${upgradeHeaders}Cookie: mnist_lab_token_${server.port}=%E0\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1.1 401/);
    await expectStillServing();
  });

  it('a request target that is not a URL gets 400, on HTTP and on an upgrade', async () => {
    expect(await rawExchange(server.port, 'GET http://a:99999/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1.1 400/);
    expect(await rawExchange(server.port, `GET http://a:99999/api HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${upgradeHeaders}\r\n`)).toMatch(
      /^HTTP\/1.1 400/,
    );
    await expectStillServing();
  });

  it('a badly percent-encoded path with the token gets 404', async () => {
    expect(await rawExchange(server.port, `GET /%E0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: ${server.cookie}\r\n\r\n`)).toMatch(/^HTTP\/1.1 404/);
    await expectStillServing();
  });

  const violations: [string, Uint8Array][] = [
    ['a message over the size limit', wsFrame({ opcode: 2, payload: new Uint8Array(16), declaredLength: maxRequestBytes + 1 })],
    ['invalid UTF-8 in a text frame', wsFrame({ opcode: 1, payload: new Uint8Array([0xc3, 0x28]) })],
    ['a reserved opcode', wsFrame({ opcode: 3, payload: new Uint8Array(4) })],
    ['an unmasked client frame', wsFrame({ opcode: 2, payload: new Uint8Array(8), masked: false })],
    ['RSV bits', wsFrame({ opcode: 2, payload: new Uint8Array(8), rsv: 3 })],
    ['close code 999', wsFrame({ opcode: 8, payload: new Uint8Array([999 >> 8, 999 & 255]) })],
    ['a 200-byte ping', wsFrame({ opcode: 9, payload: new Uint8Array(200) })],
  ];
  for (const [what, frame] of violations) {
    it(`a WebSocket protocol error (${what}) closes that socket only`, async () => {
      const socket = await rawWebSocket(server);
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      socket.write(frame);
      await closed;
      await expectStillServing();
    });
  }

  it('logs what it refused, briefly', () => {
    expect(server.stderr()).toMatch(/mnist-lab: websocket client: /);
  });
});

function openClient(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers: { cookie: server.cookie } });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

function callOnce(socket: WebSocket, frame: Uint8Array): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(decodeFrame(new Uint8Array(data as Buffer)) as never));
    socket.send(frame);
  });
}

describe('memory stays bounded whatever a client sends', () => {
  it('refuses a frame whose typed-array references claim more bytes than it holds', async () => {
    const socket = await openClient();
    const region = new Uint8Array(100_000);
    const frame = encodeFrame({ type: 'request', id: 7, method: 'listRuns', params: { a: region } });
    // Rewrite the JSON so 1,000 references point at the one 100 KB region (100 MB if copied).
    const json = new TextDecoder().decode(frame.subarray(4, 4 + new DataView(frame.buffer).getUint32(0, true)));
    const refs = JSON.stringify(Array.from({ length: 1000 }, () => ({ $bin: 'Uint8Array', offset: 0, length: 100_000 })));
    const evil = new TextEncoder().encode(json.replace(/\{"\$bin"[^}]*\}/, refs));
    const padded = (4 + evil.length + 7) & ~7;
    const out = new Uint8Array(padded + region.length);
    new DataView(out.buffer).setUint32(0, evil.length, true);
    out.set(evil, 4);
    const reply = await callOnce(socket, out);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(reply.error!.message).toMatch(/claim more bytes than its \d+ bytes of binary data/);
    socket.close();
  });

  it('quotes at most a short prefix of a huge bad value in its error', async () => {
    const socket = await openClient();
    const reply = await callOnce(socket, encodeFrame({ type: 'request', id: 8, method: 'x'.repeat(500_000), params: { runId: 'y'.repeat(400_000) } }));
    expect(reply.error!.message.length).toBeLessThan(300);
    const bad = await callOnce(socket, encodeFrame({ type: 'request', id: 9, method: 'getRun', params: { runId: 'y'.repeat(900_000) } }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(bad.error!.message.length).toBeLessThan(500);
    socket.close();
  });

  it('drops a client that stops reading its replies, and keeps serving the others', async () => {
    const socket = await openClient();
    const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    const page = { datasetId: 'mnist', split: 'train', label: null, offset: 0, count: 2000 };
    // Spaced out, so each is answered before the next arrives (the in-flight cap is another guard).
    for (let id = 1; id <= 120; id++) {
      socket.send(encodeFrame({ type: 'request', id, method: 'getImagePage', params: page }));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    // 120 replies of 1.6 MB would be 190 MB held for this client; the server stops at 16 MB.
    await expect.poll(() => server.stderr(), { timeout: 10_000 }).toMatch(/dropped a client that left \d+ bytes unread/);
    socket.terminate();
    await expectStillServing();
  });
});

describe('connections stay bounded', () => {
  it('refuses a WebSocket past the 16th with 503, and takes new ones once others close', async () => {
    const sockets = await Promise.all(Array.from({ length: 16 }, () => openClient()));
    await expect(openClient()).rejects.toThrow(/503/);
    await Promise.all(sockets.map((socket) => new Promise((resolve) => (socket.once('close', resolve), socket.close()))));
    await expect
      .poll(async () =>
        openClient().then(
          (socket) => (socket.close(), true),
          () => false,
        ),
      )
      .toBe(true);
  });
});

describe('every response carries the security headers', () => {
  it('on 401, 404 and 400 as on 200', async () => {
    for (const request of [
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      `GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: ${server.cookie}\r\n\r\n`,
      'GET http://a:99999/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]) {
      const answer = await rawExchange(server.port, request);
      expect(answer).toMatch(/content-security-policy: default-src 'self'/i);
      expect(answer).toMatch(/x-content-type-options: nosniff/i);
      expect(answer).toMatch(/x-frame-options: DENY/i);
    }
  });
});

describe('an answer larger than a client may leave unread', () => {
  it('is refused with the reason, and the same socket goes on to answer the next call', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    // A 20 MB result stands for a very large model's checkpoint or export.
    attachWsTransport(
      wss,
      async (method) => (method === 'big' ? { bytes: new Uint8Array(20 * 2 ** 20) } : 'small'),
      () => undefined,
    );
    const socket = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
    await new Promise((resolve) => socket.once('open', resolve));
    const replies: unknown[] = [];
    socket.on('message', (data) => replies.push(decodeFrame(new Uint8Array(data as Buffer))));
    socket.send(encodeFrame({ type: 'request', id: 1, method: 'big', params: undefined }));
    socket.send(encodeFrame({ type: 'request', id: 2, method: 'small', params: undefined }));
    await expect.poll(() => replies.length).toBe(2);
    expect(replies[0]).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/^the answer is 20 MB, more than browser mode sends at once \(16 MB\)/) },
    });
    expect(replies[1]).toMatchObject({ id: 2, ok: true, result: 'small' });
    socket.close();
    wss.close();
  });
});
