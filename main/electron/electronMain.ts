import { app, BrowserWindow, Menu, session, shell, webContents } from 'electron';
import { join } from 'node:path';
import { appVersion } from '../core/appVersion';
import { createLabService } from '../core/labService';
import { appOrigin, registerAppScheme, serveRenderer } from './appProtocol';
import { eventSink, registerIpc } from './ipc';
import { buildMenu } from './menu';
import { defaultWindowOptions } from './windowOptions';
import { utilityWorkerLauncher } from './utilityWorkerLauncher';

registerAppScheme();

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(defaultWindowOptions(join(__dirname, 'preload.cjs')));
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser; nothing opens inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== appOrigin) event.preventDefault();
  });
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(join(__dirname, '..', 'renderer'));
  const service = createLabService({
    dataDir: app.getPath('userData'),
    shell: 'electron',
    appVersion,
    electronVersion: process.versions.electron,
    launchWorker: utilityWorkerLauncher(join(__dirname, 'trainingWorker.cjs')),
    emit: eventSink(() => webContents.getAllWebContents()),
  });
  registerIpc(service);
  Menu.setApplicationMenu(buildMenu());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
