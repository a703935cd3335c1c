/**
 * Session configs under `<data>/configs/`. A config is named by its file name only: the
 * contract's schema already refuses separators, and this checks again after resolving, so no
 * name can reach outside the folder. Saves are atomic (temp file, then rename) and only valid
 * configs are saved, so a file here always opens.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigNameSchema } from '../../shared/ipc-contract';
import { parseSessionConfig } from '../../shared/session-config';
import { ApiRequestError } from './api-error';

export class ConfigStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = resolve(dataDir, 'configs');
  }

  /** The file a name stands for; refuses anything that is not a plain file name here. */
  pathOf(name: string): string {
    const checked = ConfigNameSchema.safeParse(name);
    const path = resolve(this.dir, name);
    if (!checked.success || dirname(path) !== this.dir || basename(path) !== name) {
      throw new ApiRequestError(`Not a config name: ${JSON.stringify(name)}`, [
        'name: a config name is a file name ending .json, never a path',
      ]);
    }
    return path;
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.filter((n) => ConfigNameSchema.safeParse(n).success).sort();
  }

  async load(name: string): Promise<unknown> {
    const path = this.pathOf(name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ApiRequestError(`${name}: cannot read the config (${code})`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ApiRequestError(`${name}: not valid JSON: ${(error as Error).message}`);
    }
  }

  async save(name: string, config: unknown): Promise<{ path: string }> {
    const path = this.pathOf(name);
    await writeConfigFile(path, config);
    return { path };
  }
}

/** Validates and writes a config anywhere (the desktop's Save as… picks the path). */
export async function writeConfigFile(path: string, config: unknown): Promise<void> {
  const parsed = parseSessionConfig(config);
  if (!parsed.ok) {
    throw new ApiRequestError(
      'The config has problems and was not saved',
      parsed.problems.map((p) => p.message),
    );
  }
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, 'utf8');
  await rename(temp, path);
}
