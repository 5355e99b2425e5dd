import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/apiTypes';

/**
 * The application menu: the app's own actions (each one a command the focused window carries
 * out: the view it belongs to opens), the standard Edit, View and Window menus, and Help.
 * DevTools are in View only while developing.
 */
export function buildMenu(send: (command: AppCommand) => void): Menu {
  const item = (label: string, command: AppCommand, accelerator?: string): MenuItemConstructorOptions => ({ label, accelerator, click: () => send(command) });
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        item('Import Dataset…', 'open-dataset', 'CmdOrCtrl+I'),
        { type: 'separator' },
        item('Open Design…', 'open-design', 'CmdOrCtrl+O'),
        item('Save Design…', 'save-design', 'CmdOrCtrl+S'),
        { type: 'separator' },
        item('Import Model…', 'import-model', 'CmdOrCtrl+Shift+O'),
        item('Export Model…', 'export-model', 'CmdOrCtrl+E'),
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        item('Backends and GPU', 'show-backend'),
        ...(process.platform === 'darwin' ? [] : [{ type: 'separator' } as const, { role: 'about' } as const]),
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
