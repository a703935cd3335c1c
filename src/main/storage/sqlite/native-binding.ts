/**
 * better-sqlite3 is a native addon, and a native addon loads only into the runtime ABI it was
 * built for. node_modules keeps the Node build, so tests and the CLI work under plain Node;
 * `scripts/rebuild-native.mjs` (postinstall) puts an Electron build beside it, in
 * `.native/electron-<version>/better-sqlite3`. Under Electron that build is handed to
 * better-sqlite3 as its `nativeBinding`; under Node nothing changes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const NATIVE_DIR = '.native';

let nativeRoot: string | undefined;

/**
 * Where `.native/` is looked for: the Electron entry calls this with `app.getAppPath()`.
 * Without it, the working directory (the project root under `electron-vite dev`).
 */
export function setNativeRoot(root: string): void {
  nativeRoot = resolve(root);
}

/** The addon file scripts/rebuild-native.mjs writes for an Electron version. */
export function electronBindingPath(root: string, electronVersion: string): string {
  return join(
    root,
    NATIVE_DIR,
    `electron-${electronVersion}`,
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
}

export interface NativeBindingOptions {
  root?: string;
  /** Defaults to process.versions; `electron` is set only inside Electron. */
  versions?: Partial<Record<string, string>>;
}

/**
 * The Electron-ABI better-sqlite3 addon for the running Electron, if one was built; undefined
 * under plain Node (node_modules' own build is the right one) or when none exists (better-sqlite3
 * then loads its default build, and a mismatch is reported by the opener).
 */
export function electronNativeBinding(options: NativeBindingOptions = {}): string | undefined {
  const versions = options.versions ?? process.versions;
  const electron = versions.electron;
  if (!electron) return undefined;
  const path = electronBindingPath(options.root ?? nativeRoot ?? process.cwd(), electron);
  return existsSync(path) ? path : undefined;
}

/** True when `error` is Node refusing an addon built for another ABI. */
export function isAbiMismatch(error: unknown): boolean {
  return error instanceof Error && /NODE_MODULE_VERSION|was compiled against/.test(error.message);
}
