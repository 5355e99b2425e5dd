import { app, shell, type WebContents } from 'electron';
import { isAppUrl } from './appOrigin';

/**
 * Every web contents the app ever creates (windows, and anything a page might try to open)
 * stays on the app's own pages: no navigation or redirect elsewhere, no <webview>, no new
 * windows (https links open in the user's browser instead), and no DevTools in a packaged app.
 */
export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    const stayHome = (event: { preventDefault(): void }, url: string) => {
      if (!isAppUrl(url)) event.preventDefault();
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
  });
}
