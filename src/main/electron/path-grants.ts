/**
 * The host paths the desktop page may name for an import: only those the main process itself
 * saw the user choose, in the File ▸ Import dialog or by dropping a file on the window (the
 * preload reports a dropped File's path, which a page cannot invent: a File it builds has
 * none). A page that is compromised can therefore not make the engine read an arbitrary file.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ImportFile } from '../../shared/ipc-contract';

/** Granted paths kept; the oldest are forgotten past this. */
const MAX_GRANTS = 1000;

export class PathGrants {
  private readonly granted = new Set<string>();

  grant(path: unknown): void {
    if (typeof path !== 'string' || path.length === 0 || !isAbsolute(path)) return;
    this.granted.delete(resolve(path));
    this.granted.add(resolve(path));
    if (this.granted.size > MAX_GRANTS) {
      this.granted.delete(this.granted.values().next().value!);
    }
  }

  /** The first path among `files` the user never chose, or null when there is none. */
  ungranted(files: readonly ImportFile[]): string | null {
    for (const file of files) {
      if ('path' in file && !this.granted.has(resolve(file.path))) return file.path;
    }
    return null;
  }
}
