/**
 * The File menu's dialogs. Their results go to the renderer as menu commands; Save as… is the
 * one request the main process answers itself, since only it can show a dialog.
 */
import { dialog, type BrowserWindow } from 'electron';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MenuCommand } from '../../shared/ipc-contract';
import { writeConfigFile } from '../service/config-store';

const IMPORTABLE = ['parquet', 'csv', 'gz', 'zip', 'txt'];

export async function openConfigDialog(
  window: BrowserWindow,
  dataDir: string,
): Promise<MenuCommand | { error: string } | null> {
  const picked = await dialog.showOpenDialog(window, {
    title: 'Open config',
    defaultPath: join(dataDir, 'configs'),
    filters: [{ name: 'Session config', extensions: ['json'] }],
    properties: ['openFile'],
  });
  const path = picked.filePaths[0];
  if (picked.canceled || !path) return null;
  try {
    return { command: 'configOpened', path, config: JSON.parse(await readFile(path, 'utf8')) };
  } catch (error) {
    return { error: `${path}: cannot open the config: ${(error as Error).message}` };
  }
}

export async function importDialog(
  window: BrowserWindow,
  dataDir: string,
): Promise<MenuCommand | null> {
  const picked = await dialog.showOpenDialog(window, {
    title: 'Import market data',
    defaultPath: dataDir,
    filters: [{ name: 'Market data', extensions: IMPORTABLE }],
    properties: ['openFile', 'multiSelections'],
  });
  if (picked.canceled || picked.filePaths.length === 0) return null;
  return { command: 'importFiles', files: picked.filePaths.map((path) => ({ path })) };
}

export async function saveConfigAsDialog(
  window: BrowserWindow,
  dataDir: string,
  request: { config: unknown; suggestedName?: string },
): Promise<{ path: string } | null> {
  const picked = await dialog.showSaveDialog(window, {
    title: 'Save config as',
    // Only a name is suggested: the dialog opens in the configs folder whatever it says.
    defaultPath: join(dataDir, 'configs', basename(request.suggestedName ?? 'session.json')),
    filters: [{ name: 'Session config', extensions: ['json'] }],
  });
  if (picked.canceled || !picked.filePath) return null;
  await writeConfigFile(picked.filePath, request.config);
  return { path: picked.filePath };
}
