/**
 * The typed IPC contract between the renderer and the main process. Each channel has a zod
 * schema for its request; the main side validates every payload against it before acting.
 */
import { z } from 'zod';
import type { ConfigProblem } from './session-config';

export { IPC } from './ipc-channels';

export const AppInfoRequestSchema = z.void();

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  /** The default session config as loaded from disk, or null when there is none yet. */
  defaultConfig: unknown;
}

export const ValidateConfigRequestSchema = z.object({ config: z.unknown() });
export type ValidateConfigRequest = z.infer<typeof ValidateConfigRequestSchema>;

export interface ValidateConfigResponse {
  ok: boolean;
  problems: ConfigProblem[];
  notes: string[];
}

/** What the preload exposes as `window.tapedeck`: named functions, never ipcRenderer. */
export interface TapedeckApi {
  appInfo(): Promise<AppInfo>;
  validateConfig(request: ValidateConfigRequest): Promise<ValidateConfigResponse>;
}
