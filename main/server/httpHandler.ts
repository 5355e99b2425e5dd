import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf, resolveStaticPath } from '../common/staticPath';
import { hasOneHost, isAuthorized, parseRequestUrl } from './authToken';
import { securityHeaders, sendText } from './securityHeaders';

export interface HttpContext {
  rendererDir: string;
  token: string;
  cookieName: () => string;
}

/** The largest renderer file served (the wasm binaries are a few MB). */
const maxStaticFileBytes = 64 * 1024 * 1024;

/** Reads a regular file of the built renderer; null for anything else (folders, devices, missing). */
async function readStaticFile(path: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > maxStaticFileBytes) return null;
    return await handle.readFile();
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * Serves the built renderer behind the token. The first visit carries ?token=…; the answer is an
 * HttpOnly cookie and a redirect, so the token leaves the address bar and later requests
 * (assets, WebSocket) carry the cookie.
 */
export async function handleHttpRequest(request: IncomingMessage, response: ServerResponse, context: HttpContext): Promise<void> {
  const url = parseRequestUrl(request);
  if (!url) return sendText(response, 400, 'MNIST Lab: the request target is not a valid URL');
  if (!hasOneHost(request)) return sendText(response, 400, 'MNIST Lab: the request names more than one Host');
  if (!isAuthorized(request, url, context.token, context.cookieName())) {
    return sendText(response, 401, 'MNIST Lab: missing or wrong token. Open the URL that `npm run serve` printed.');
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'MNIST Lab serves its files with GET only', { allow: 'GET, HEAD' });
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    // One leading slash only: `//host` would be a redirect to another site.
    const location = url.pathname.replace(/^\/+/, '/') + url.search;
    response.writeHead(303, {
      ...securityHeaders,
      location,
      'set-cookie': `${context.cookieName()}=${context.token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    response.end();
    return;
  }
  const path = resolveStaticPath(context.rendererDir, url.pathname);
  const body = path ? await readStaticFile(path) : null;
  if (!path || !body) return sendText(response, 404, 'MNIST Lab: not found');
  response.writeHead(200, { ...securityHeaders, 'content-type': contentTypeOf(path), 'cache-control': 'no-cache' });
  response.end(request.method === 'HEAD' ? undefined : body);
}
