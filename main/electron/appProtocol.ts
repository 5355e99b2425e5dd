import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../common/contentSecurityPolicy';
import { resolveStaticPath } from '../common/staticPath';

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('bad request', { status: 400 });
    }
    if (url.host !== 'lab') return new Response('not found', { status: 404 });
    const path = resolveStaticPath(rendererDir, url.pathname);
    if (!path) return new Response('forbidden', { status: 403 });
    const file = await net.fetch(pathToFileURL(path).toString());
    const headers = new Headers(file.headers);
    headers.set('content-security-policy', contentSecurityPolicy());
    return new Response(file.body, { status: file.status, headers });
  });
}
