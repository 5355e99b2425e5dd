import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { EventSink } from '../../shared/api';
import { createDispatcher } from '../core/dispatcher';
import { createLabService, type LabService } from '../core/labService';
import type { WorkerLauncher } from '../core/workerHost';
import { appVersion } from '../core/appVersion';
import { isAuthorized, isSameOrigin, tokenCookie } from './authToken';
import { contentSecurityPolicy } from './contentSecurityPolicy';
import { readStaticFile } from './staticFiles';
import { attachWsTransport } from './wsTransport';

export interface LabServerOptions {
  host: string;
  port: number;
  dataDir: string;
  rendererDir: string;
  launchWorker: WorkerLauncher;
  gpuIndex?: number | null;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface LabServer {
  /** The URL to open, token included. */
  url: string;
  service: LabService;
  close(): Promise<void>;
}

const apiPath = '/api';

/**
 * Browser mode: the built renderer and the API (WebSocket at /api) behind a random token. The
 * first visit carries ?token=…; the server answers with an HttpOnly cookie and a redirect, so
 * the token leaves the address bar and later requests (assets, WebSocket) carry the cookie.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  let broadcast: EventSink = () => undefined;
  const service = createLabService({
    dataDir: options.dataDir,
    shell: 'browser',
    appVersion,
    launchWorker: options.launchWorker,
    gpuIndex: options.gpuIndex ?? null,
    emit: (name, payload) => broadcast(name, payload),
  });

  const refuse = (response: ServerResponse, status: number, message: string) => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(message + '\n');
  };

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!isAuthorized(request, url, token)) {
      refuse(response, 401, 'MNIST Lab: missing or wrong token. Open the URL that `npm run serve` printed.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'MNIST Lab serves its files with GET only');
      return;
    }
    if (url.searchParams.has('token')) {
      url.searchParams.delete('token');
      response.writeHead(303, {
        location: url.pathname + url.search,
        'set-cookie': `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      response.end();
      return;
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      refuse(response, 404, `not found: ${url.pathname}`);
      return;
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-security-policy': contentSecurityPolicy(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const status = url.pathname !== apiPath ? 404 : !isAuthorized(request, url, token) ? 401 : !isSameOrigin(request) ? 403 : 0;
    if (status) {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  broadcast = attachWsTransport(wss, createDispatcher(service)).broadcast;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    service,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
