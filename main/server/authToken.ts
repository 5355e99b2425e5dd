import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const tokenCookie = 'mnist_lab_token';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** Where a request presents the token: the URL (first visit), the cookie set then, or a Bearer header. */
export function presentedToken(request: IncomingMessage, url: URL): string | null {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return url.searchParams.get('token') ?? cookieValue(request.headers.cookie, tokenCookie) ?? bearer ?? null;
}

export function isAuthorized(request: IncomingMessage, url: URL, token: string): boolean {
  const presented = presentedToken(request, url);
  return presented !== null && safeEqual(presented, token);
}

/**
 * A WebSocket upgrade must come from a page this server served: browsers send cookies with
 * cross-site WebSocket requests too, so the Origin is checked against the Host.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
