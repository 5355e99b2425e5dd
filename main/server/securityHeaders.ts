import type { ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../common/contentSecurityPolicy';

/** Sent with every response, errors and redirects included. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Ends a response with the security headers and a short plain-text body. */
export function sendText(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(message + '\n');
}

/** The same for a raw socket (refused WebSocket upgrades, unparseable requests). */
export function rawHttpResponse(status: number, reason: string): string {
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'connection: close', 'content-length: 0'];
  for (const [name, value] of Object.entries(securityHeaders)) lines.push(`${name}: ${value}`);
  return lines.join('\r\n') + '\r\n\r\n';
}
