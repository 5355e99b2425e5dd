import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { hasOneHost, isAuthorized, isSameOrigin, parseRequestUrl } from './authToken';
import { rawHttpResponse } from './securityHeaders';
import type { ServerLog } from './serverLog';

export const apiPath = '/api';
/** Open WebSockets at once: a few tabs need a few; thousands would only cost memory. */
export const maxClients = 16;

export interface UpgradeContext {
  wss: WebSocketServer;
  token: string;
  cookieName: () => string;
  log: ServerLog;
}

function refusal(request: IncomingMessage, context: UpgradeContext): [number, string] | null {
  const url = parseRequestUrl(request);
  if (!url || !hasOneHost(request)) return [400, 'Bad Request'];
  if (url.pathname !== apiPath) return [404, 'Not Found'];
  if (!isAuthorized(request, url, context.token, context.cookieName())) return [401, 'Unauthorized'];
  if (!isSameOrigin(request)) return [403, 'Forbidden'];
  if (context.wss.clients.size >= maxClients) return [503, 'Service Unavailable'];
  return null;
}

/** Lets an authorised same-origin upgrade to /api through to the WebSocket server; refuses the rest. */
export function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, context: UpgradeContext): void {
  // A client may reset the connection at any moment; without a listener that would throw.
  socket.on('error', (error) => {
    // A client that went away mid-write is no news; anything else is worth a line.
    if (!['ECONNRESET', 'EPIPE'].includes((error as NodeJS.ErrnoException).code ?? '')) context.log('upgrade socket', error);
    socket.destroy();
  });
  const refused = refusal(request, context);
  if (refused) {
    socket.end(rawHttpResponse(...refused));
    return;
  }
  context.wss.handleUpgrade(request, socket, head, (ws) => context.wss.emit('connection', ws, request));
}
