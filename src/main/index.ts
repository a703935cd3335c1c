/**
 * The Electron entry: one secure window and the IPC bridge. The engine stays plain Node
 * (src/main/engine); this file only wires it to the desktop.
 */
import { app, BrowserWindow, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  AppInfoRequestSchema,
  IPC,
  ValidateConfigRequestSchema,
  type AppInfo,
  type ValidateConfigResponse,
} from '../shared/ipc-contract';
import { parseSessionConfig } from '../shared/session-config';
import { defaultDataDir } from './data-dir';

let mainWindow: BrowserWindow | null = null;

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: 'Tapedeck',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  // No navigation away from the app, and no new windows: links open in the system browser.
  mainWindow.webContents.on('will-navigate', (event) => event.preventDefault());
  mainWindow.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) {
    void mainWindow.loadURL(process.env.ELECTRON_RENDERER_URL);
  } else {
    void mainWindow.loadFile(join(__dirname, '../renderer/index.html'));
  }
}

/** Only our own window's top frame may call the bridge. */
function checkSender(event: IpcMainInvokeEvent): void {
  if (
    !mainWindow ||
    event.sender !== mainWindow.webContents ||
    event.senderFrame !== mainWindow.webContents.mainFrame
  ) {
    throw new Error('IPC refused: unknown sender');
  }
}

function registerIpc(): void {
  const dataDir = defaultDataDir();
  ipcMain.handle(IPC.appInfo, async (event, payload): Promise<AppInfo> => {
    checkSender(event);
    AppInfoRequestSchema.parse(payload);
    let defaultConfig: unknown = null;
    try {
      defaultConfig = JSON.parse(await readFile(join(dataDir, 'configs', 'demo.json'), 'utf8'));
    } catch {
      defaultConfig = null;
    }
    return { name: app.getName(), version: app.getVersion(), dataDir, defaultConfig };
  });
  ipcMain.handle(IPC.validateConfig, async (event, payload): Promise<ValidateConfigResponse> => {
    checkSender(event);
    const { config } = ValidateConfigRequestSchema.parse(payload);
    const result = parseSessionConfig(config);
    return result.ok
      ? { ok: true, problems: [], notes: result.notes }
      : { ok: false, problems: result.problems, notes: [] };
  });
}

app.whenReady().then(() => {
  registerIpc();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
