import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { forkWorkerLauncher } from '../../main/core/workerHost';
import { startLabServer, type LabServer } from '../../main/server/labServer';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { tempDir } from './tempDir';

let server: LabServer;
let origin: string;
let token: string;

beforeAll(async () => {
  // A stand-in for the built renderer, so this test does not depend on a Vite build.
  const rendererDir = tempDir('renderer');
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>MNIST Lab</title>');
  server = await startLabServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: tempDir('server'),
    rendererDir,
    launchWorker: forkWorkerLauncher(join(process.cwd(), 'dist', 'main', 'trainingWorker.cjs')),
    modelFileThreadEntry: join(process.cwd(), 'dist', 'main', 'modelFileThread.cjs'),
  });
  const url = new URL(server.url);
  origin = url.origin;
  token = url.searchParams.get('token')!;
});

afterAll(() => server.close());

async function loginCookie(url: string): Promise<string> {
  const first = await fetch(url, { redirect: 'manual' });
  return first.headers.get('set-cookie')!.split(';')[0]!;
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

function call(socket: WebSocket, frame: Uint8Array): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(decodeFrame(new Uint8Array(data as Buffer)) as never));
    socket.send(frame);
  });
}

describe('browser mode server', () => {
  it('refuses requests without the token', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/missing or wrong token/);
    expect((await fetch(`${origin}/?token=wrong`)).status).toBe(401);
  });

  it('trades the URL token for a cookie and serves the app with a CSP', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await fetch(`${origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await page.text()).toMatch(/<title>MNIST Lab<\/title>/);
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(openSocket({})).rejects.toThrow('HTTP 401');
    await expect(openSocket({ cookie: `mnist_lab_token_${new URL(origin).port}=${token}`, origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    // The same host and port under another scheme is another origin.
    await expect(openSocket({ cookie: `mnist_lab_token_${new URL(origin).port}=${token}`, origin: origin.replace('http:', 'https:') })).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('answers a request naming two Hosts with 400, and oversized headers with 431', async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(origin).port), '127.0.0.1', () => socket.end(request));
        let answer = '';
        socket.on('data', (data) => (answer += data.toString('latin1')));
        socket.on('end', () => resolve(answer.split('\r\n')[0]!));
        socket.on('error', reject);
      });
    const host = new URL(origin).host;
    expect(await raw(`GET /?token=${token} HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    expect(await raw(`GET /?token=${token} HTTP/1.1\r\nHost: ${host}\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`)).toBe(
      'HTTP/1.1 431 Request Header Fields Too Large',
    );
  });

  it('answers calls over the socket and rejects malformed ones with a reason', async () => {
    const socket = await openSocket({ cookie: `mnist_lab_token_${new URL(origin).port}=${token}`, origin });
    const page = await call(
      socket,
      encodeFrame({ type: 'request', id: 1, method: 'getImagePage', params: { datasetId: 'mnist', split: 'test', label: null, offset: 0, count: 2 } }),
    );
    expect(page.ok).toBe(true);
    expect(Array.from((page.result as { labels: Uint8Array }).labels)).toEqual([7, 2]);
    const bad = await call(socket, encodeFrame({ type: 'request', id: 2, method: 'getImagePage', params: { datasetId: 'mnist' } }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const garbage = await call(socket, new Uint8Array([1, 2]));
    expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'unreadable frame: frame of 2 bytes is too short for its header' } });
    socket.close();
  });

  it('keeps one cookie per port, so two servers on one machine do not log each other out', async () => {
    const other = await startLabServer({
      host: '127.0.0.1',
      port: 0,
      dataDir: tempDir('server-2'),
      rendererDir: tempDir('renderer-2'),
      launchWorker: forkWorkerLauncher(join(process.cwd(), 'dist', 'main', 'trainingWorker.cjs')),
      modelFileThreadEntry: join(process.cwd(), 'dist', 'main', 'modelFileThread.cjs'),
    });
    try {
      const first = await loginCookie(server.url);
      const second = await loginCookie(other.url);
      expect(first.split('=')[0]).toBe(`mnist_lab_token_${new URL(server.url).port}`);
      expect(second.split('=')[0]).toBe(`mnist_lab_token_${new URL(other.url).port}`);
      // A browser sends both cookies to both servers (cookies ignore ports); each server reads its own.
      const both = `${first}; ${second}`;
      expect((await fetch(`${origin}/`, { headers: { cookie: both } })).status).toBe(200);
      expect((await fetch(`${new URL(other.url).origin}/nothing`, { headers: { cookie: both } })).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
