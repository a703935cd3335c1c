/**
 * The application menu: File (open and save configs, import, quit), Edit (so text fields get
 * copy and paste everywhere, macOS included) and View.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openConfig(): void;
  saveConfigAs(): void;
  importFiles(): void;
}

export function installAppMenu(actions: MenuActions, dev: boolean): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open config…', accelerator: 'CmdOrCtrl+O', click: () => actions.openConfig() },
        {
          label: 'Save config as…',
          accelerator: 'CmdOrCtrl+Shift+S',
          click: () => actions.saveConfigAs(),
        },
        { type: 'separator' },
        { label: 'Import…', accelerator: 'CmdOrCtrl+I', click: () => actions.importFiles() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(dev ? [{ role: 'forceReload' as const }, { role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
