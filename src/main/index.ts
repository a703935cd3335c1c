/**
 * The Electron entry: one secure window, the app menu, and the IPC bridge to the engine,
 * which runs in a worker thread (docs/design.md §6) so this thread never waits on a replay.
 */
import { app, BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { IPC_EVENTS, type LogEntry, type MenuCommand } from '../shared/ipc-contract';
import { defaultDataDir } from './data-dir';
import { installAppMenu } from './electron/app-menu';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './electron/app-protocol';
import { importDialog, openConfigDialog, saveConfigAsDialog } from './electron/desktop-dialogs';
import { registerIpcBridge } from './electron/ipc-bridge';
import { PathGrants } from './electron/path-grants';
import { devServerUrl, isAllowedExternal } from './electron/window-policy';
import { loadWindowState, rememberWindowState } from './electron/window-state';
import { contentSecurityPolicy } from './service/content-security-policy';
import { workerBackend } from './service/api-backend';
import { EngineClient } from './service/engine-client';

const devUrl = devServerUrl(app.isPackaged, process.env);
const dataDir = defaultDataDir();
const grants = new PathGrants();
let mainWindow: BrowserWindow | null = null;

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

const engine = new EngineClient({
  entry: join(__dirname, 'engine-worker.js'),
  workerData: {
    dataDir,
    host: 'electron',
    name: app.getName(),
    version: app.getVersion(),
    lastSessionFile: join(app.getPath('userData'), 'last-session.json'),
    defaultConfigFile: null,
    nativeRoot: app.getAppPath(),
  },
});

function send(channel: string, payload: unknown): void {
  const contents = mainWindow?.webContents;
  if (contents && !contents.isDestroyed()) contents.send(channel, payload);
}

function sendLog(level: LogEntry['level'], message: string): void {
  send(IPC_EVENTS.log, { time: Date.now(), level, message } satisfies LogEntry);
}

function menuCommand(command: MenuCommand): void {
  send(IPC_EVENTS.menuCommand, command);
}

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(stateFile);
  const window = new BrowserWindow({
    ...(state.placed ? state.bounds : { width: state.bounds.width, height: state.bounds.height }),
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Tapedeck',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  mainWindow = window;
  if (state.maximized) window.maximize();
  rememberWindowState(window, stateFile);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  const contents = window.webContents;
  // The page never leaves the app: navigation is refused, new windows are never made, and a
  // link to one of the project's own pages (https only) opens in the system browser instead.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
}

function secureSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  const devOrigin = devUrl ? new URL(devUrl).origin : null;
  // The dev server's pages get the same policy, plus its hot-reload socket.
  const policy = contentSecurityPolicy(
    devOrigin ? [devOrigin, devOrigin.replace(/^http/, 'ws')] : [],
  );
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
    });
  });
}

app.whenReady().then(() => {
  secureSession();
  serveRenderer(join(__dirname, '../renderer'));
  engine.onEvent((event, payload) => send(IPC_EVENTS[event], payload));
  registerIpcBridge({
    backend: workerBackend(engine),
    contents: () => mainWindow?.webContents ?? null,
    origins: [APP_ORIGIN, ...(devUrl ? [new URL(devUrl).origin] : [])],
    grants,
    local: {
      saveConfigAs: (request) =>
        mainWindow ? saveConfigAsDialog(mainWindow, dataDir, request) : Promise.resolve(null),
    },
  });
  installAppMenu(
    {
      openConfig: () => {
        if (!mainWindow) return;
        void openConfigDialog(mainWindow, dataDir).then((result) => {
          if (result && 'error' in result) sendLog('error', result.error);
          else if (result) menuCommand(result);
        });
      },
      saveConfigAs: () => menuCommand({ command: 'saveConfigAs' }),
      importFiles: () => {
        if (!mainWindow) return;
        void importDialog(mainWindow, dataDir).then((command) => {
          if (command?.command === 'importFiles') {
            for (const file of command.files) if ('path' in file) grants.grant(file.path);
          }
          if (command) menuCommand(command);
        });
      },
    },
    devUrl !== null,
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('second-instance', () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// The session is stopped and its stores closed before the process goes.
let quitting = false;
app.on('will-quit', (event) => {
  if (quitting) return;
  quitting = true;
  event.preventDefault();
  void engine.close().finally(() => app.quit());
});
