import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { EventSink } from '../../shared/api';
import { appVersion } from '../core/appVersion';
import { createDispatcher } from '../core/dispatcher';
import { createLabService, type LabService } from '../core/labService';
import type { WorkerLauncher } from '../core/workerHost';
import { tokenCookieName } from './authToken';
import { handleHttpRequest } from './httpHandler';
import { rawHttpResponse, sendText } from './securityHeaders';
import { rateLimitedLog, type ServerLog } from './serverLog';
import { handleUpgrade } from './upgradeHandler';
import { attachWsTransport, maxRequestBytes } from './wsTransport';

export interface LabServerOptions {
  host: string;
  port: number;
  dataDir: string;
  rendererDir: string;
  launchWorker: WorkerLauncher;
  /** The built model-file thread, when not beside this bundle (tests). */
  modelFileThreadEntry?: string;
  gpuIndex?: number | null;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
  /** Where unexpected errors are reported; stderr, rate-limited, by default. */
  log?: ServerLog;
}

export interface LabServer {
  /** The URL to open, token included. */
  url: string;
  service: LabService;
  close(): Promise<void>;
}

/**
 * Browser mode: the built renderer and the API (WebSocket at /api) behind a random token. No
 * request may end the process: every handler's failure becomes a 4xx/5xx answer and a log line.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const log = options.log ?? rateLimitedLog();
  let broadcast: EventSink = () => undefined;
  const service = createLabService({
    dataDir: options.dataDir,
    shell: 'browser',
    appVersion,
    launchWorker: options.launchWorker,
    ...(options.modelFileThreadEntry ? { modelFileThreadEntry: options.modelFileThreadEntry } : {}),
    gpuIndex: options.gpuIndex ?? null,
    emit: (name, payload) => broadcast(name, payload),
  });
  let port = options.port;
  const cookieName = () => tokenCookieName(port);

  const server = createServer((request, response) => {
    handleHttpRequest(request, response, { rendererDir: options.rendererDir, token, cookieName }).catch((error: unknown) => {
      log(`${request.method} request`, error);
      if (!response.headersSent) sendText(response, 500, 'MNIST Lab: internal error');
      else response.destroy();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    if (socket.writable) socket.end(tooLarge ? rawHttpResponse(431, 'Request Header Fields Too Large') : rawHttpResponse(400, 'Bad Request'));
    else socket.destroy();
    if (error.code !== 'ECONNRESET' && !tooLarge) log('http client', error);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxRequestBytes });
  server.on('upgrade', (request, socket, head) => handleUpgrade(request, socket, head, { wss, token, cookieName, log }));
  broadcast = attachWsTransport(wss, createDispatcher(service), log).broadcast;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  server.on('error', (error) => log('http server', error));
  port = (server.address() as AddressInfo).port;
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
