import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../common/contentSecurityPolicy';
import { resolveStaticPath } from '../common/staticPath';

/** The renderer is served from app://lab/, never file://, so it gets a real origin and a CSP header. */
export const appOrigin = 'app://lab';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'lab') return new Response('not found', { status: 404 });
    const path = resolveStaticPath(rendererDir, url.pathname);
    if (!path) return new Response('forbidden', { status: 403 });
    const file = await net.fetch(pathToFileURL(path).toString());
    const headers = new Headers(file.headers);
    headers.set('content-security-policy', contentSecurityPolicy());
    return new Response(file.body, { status: file.status, headers });
  });
}
