import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The cookie carrying the token. Browsers share cookies across the ports of one host, so the
 * name includes the port: two servers on one machine do not log each other out.
 */
export function tokenCookieName(port: number): string {
  return `mnist_lab_token_${port}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A cookie's value, or null; a badly percent-encoded value counts as absent, never as an error. */
function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return null;
    }
  }
  return null;
}

/** Where a request presents the token: the URL (first visit), the cookie set then, or a Bearer header. */
export function presentedToken(request: IncomingMessage, url: URL, cookieName: string): string | null {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return url.searchParams.get('token') ?? cookieValue(request.headers.cookie, cookieName) ?? bearer ?? null;
}

export function isAuthorized(request: IncomingMessage, url: URL, token: string, cookieName: string): boolean {
  const presented = presentedToken(request, url, cookieName);
  return presented !== null && safeEqual(presented, token);
}

/**
 * A WebSocket upgrade must come from a page this server served: browsers send cookies with
 * cross-site WebSocket requests too, so the Origin must be this server's own, scheme, host and
 * port alike (it serves plain http only: `https://` on the same host and port is another origin).
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.origin === origin && url.host === request.headers.host;
  } catch {
    return false;
  }
}

/** Whether the request names its Host once: with two, a proxy and this server could each believe another. */
export function hasOneHost(request: IncomingMessage): boolean {
  let hosts = 0;
  for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === 'host') hosts++;
  return hosts <= 1;
}

/** The request's URL, or null when its target cannot be parsed (e.g. `http://a:99999/`). */
export function parseRequestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}
