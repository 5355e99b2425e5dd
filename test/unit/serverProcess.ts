import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { tempDir } from './tempDir';

/** Browser mode as `npm run serve` starts it: the real process, with its own error handlers. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  token: string;
  cookie: string;
  origin: string;
  dataDir: string;
  /** What the server wrote to stderr so far. */
  stderr: () => string;
  stop(): void;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const dataDir = tempDir('serve');
  const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'main', 'server.cjs'), '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /MNIST Lab at (\S+)/.exec(out);
      if (match) resolve(new URL(match[1]!));
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
  });
  const port = Number(url.port);
  const token = url.searchParams.get('token')!;
  return { child, port, token, cookie: `mnist_lab_token_${port}=${token}`, origin: url.origin, dataDir, stderr: () => stderr, stop: () => child.kill() };
}

/** Sends raw bytes to a port and resolves with everything it answers until it closes (or 2 s pass). */
export function rawExchange(port: number, bytes: string | Uint8Array, waitMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.setTimeout(waitMs, done);
    socket.write(bytes);
  });
}

/** Opens a WebSocket to /api by hand, so tests can then send frames no real client would. */
export function rawWebSocket(server: ServerProcess): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const request = [
      'GET /api HTTP/1.1',
      `Host: 127.0.0.1:${server.port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      `Cookie: ${server.cookie}`,
      '',
      '',
    ].join('\r\n');
    socket.once('data', (chunk) => (chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString()))));
    socket.once('error', reject);
    socket.write(request);
  });
}

/** One WebSocket frame as bytes; everything a fuzzer or a broken client might set can be set. */
export function wsFrame(options: { opcode: number; payload: Uint8Array; fin?: boolean; rsv?: number; masked?: boolean; declaredLength?: number }): Uint8Array {
  const { opcode, payload, fin = true, rsv = 0, masked = true } = options;
  const length = options.declaredLength ?? payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 255);
  else header.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 255, (length >>> 16) & 255, (length >>> 8) & 255, length & 255);
  const mask = [0x12, 0x34, 0x56, 0x78];
  const body = masked ? payload.map((b, i) => b ^ mask[i % 4]!) : payload;
  return new Uint8Array([...header, ...(masked ? mask : []), ...body]);
}

/** A normal API call over a fresh, well-behaved WebSocket: proof the server still serves. */
export async function normalCall(server: ServerProcess): Promise<unknown> {
  const socket = await rawWebSocket(server);
  const request = encodeFrame({
    type: 'request',
    id: 1,
    method: 'getImagePage',
    params: { datasetId: 'mnist', split: 'test', label: null, offset: 0, count: 2 },
  });
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const length = buffer[1]! & 127;
      const start = length === 126 ? 4 : length === 127 ? 10 : 2;
      const size = length === 126 ? buffer.readUInt16BE(2) : length === 127 ? Number(buffer.readBigUInt64BE(2)) : length;
      if (buffer.length < start + size) return;
      socket.destroy();
      resolve(decodeFrame(new Uint8Array(buffer.subarray(start, start + size))));
    });
    socket.on('error', reject);
    socket.write(wsFrame({ opcode: 2, payload: request }));
  });
}

/** The server's peak resident memory in MB, from /proc (Linux); null elsewhere. */
export function peakMemoryMB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}
