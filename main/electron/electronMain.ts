import { app, BrowserWindow, Menu, session, shell, webContents } from 'electron';
import { join } from 'node:path';
import { appVersion } from '../core/appVersion';
import { createLabService, type LabService } from '../core/labService';
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

/** The longest a quit waits for a run to stop after its batch and be evaluated. */
const quitGraceMs = 60_000;

/**
 * Quitting while a run trains stops it after its batch and evaluates its best checkpoint first,
 * as Ctrl-C does for the CLI and the server, so a quit loses no run. A second quit does not wait.
 */
function finishRunBeforeQuit(service: LabService): void {
  let finishing = false;
  app.on('before-quit', (event) => {
    if (finishing || service.isIdle()) return;
    finishing = true;
    event.preventDefault();
    void service.stopTraining();
    void Promise.race([service.whenIdle(), new Promise((resolve) => setTimeout(resolve, quitGraceMs))]).then(() => app.quit());
  });
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
  finishRunBeforeQuit(service);
  Menu.setApplicationMenu(buildMenu());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
