/**
 * Reads a session config file, turning every way it can be wrong into problems that name the
 * file: unreadable, not JSON (with the position), or invalid (every problem at once).
 */
import { readFile } from 'node:fs/promises';
import { parseSessionConfig, type SessionConfig } from '../../shared/session-config';

export type ConfigFileResult =
  { ok: true; config: SessionConfig; notes: string[] } | { ok: false; problems: string[] };

export async function loadConfigFile(path: string): Promise<ConfigFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      problems: [`${path}: cannot read the config file (${code ?? String(error)})`],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${path}: not valid JSON: ${(error as Error).message}`] };
  }
  const result = parseSessionConfig(json);
  if (!result.ok)
    return { ok: false, problems: result.problems.map((p) => `${path}: ${p.message}`) };
  return result;
}
