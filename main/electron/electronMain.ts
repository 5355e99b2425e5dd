import { app, BrowserWindow, Menu, screen, session, webContents } from 'electron';
import { join } from 'node:path';
import type { AppCommand } from '../../shared/apiTypes';
import { appVersion } from '../core/appVersion';
import { createLabService, type LabService } from '../core/labService';
import { appOrigin } from './appOrigin';
import { registerAppScheme, serveRenderer } from './appProtocol';
import { guardAllWebContents } from './contentsGuard';
import { eventSink, registerIpc } from './ipc';
import { eventChannel } from './ipcChannels';
import { buildMenu } from './menu';
import { denyAllPermissions } from './sessionPermissions';
import { defaultWindowOptions } from './windowOptions';
import { isOnScreen, loadWindowState, rememberWindowState } from './windowState';
import { utilityWorkerLauncher } from './utilityWorkerLauncher';

registerAppScheme();
guardAllWebContents();

async function createWindow(): Promise<BrowserWindow> {
  const userData = app.getPath('userData');
  const saved = await loadWindowState(userData);
  const place =
    saved &&
    isOnScreen(
      saved,
      screen.getAllDisplays().map((d) => d.workArea),
    )
      ? saved
      : saved
        ? { width: saved.width, height: saved.height }
        : undefined;
  const window = new BrowserWindow(defaultWindowOptions(join(__dirname, 'preload.cjs'), { devTools: !app.isPackaged, place }));
  if (saved?.maximized) window.maximize();
  rememberWindowState(window, userData);
  window.once('ready-to-show', () => window.show());
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

/** A menu command goes to the focused window, which carries it out (see renderer/app/appCommands). */
function sendToFocusedWindow(command: AppCommand): void {
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  window?.webContents.send(eventChannel, 'app:command', command);
}

function start(): void {
  denyAllPermissions(session.defaultSession);
  serveRenderer(join(__dirname, '..', 'renderer'));
  app.setAboutPanelOptions({
    applicationName: 'MNIST Lab',
    applicationVersion: appVersion,
    credits: 'Design, train and inspect neural networks on handwritten digits.',
  });
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
  Menu.setApplicationMenu(buildMenu(sendToFocusedWindow));
  void createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
}

// One instance at a time: two would share one run store and train over each other's runs. A
// second launch brings the first one's window forward instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  void app.whenReady().then(start);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
