import { Menu, type MenuItemConstructorOptions } from 'electron';

/** The standard menus (edit shortcuts, reload, dev tools, zoom); the app's own actions live in its views. */
export function buildMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
