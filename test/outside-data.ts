/**
 * Tests that read the team's data outside the repository (`../shared/data/…`) run where it is
 * and skip, saying why in one line, on a fresh clone. CI has the data: there a missing folder
 * is a failure, never a quiet skip.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** `../shared/data` beside the repository root, or where TAPEDECK_SHARED_DATA points. */
const ROOT =
  process.env.TAPEDECK_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data', import.meta.url));

export function outsidePath(rel: string): string {
  return join(ROOT, rel);
}

/**
 * The path when it exists; otherwise null and the one-line reason to put in the skipped
 * suite's name (in CI it throws instead).
 */
export function outsideData(rel: string): { path: string | null; reason: string } {
  const path = outsidePath(rel);
  if (existsSync(path)) return { path, reason: '' };
  const reason = `skipped: ${path} is absent (the team's shared data, not in the repository)`;
  if (IN_CI) throw new Error(`CI must have the shared data, but ${path} is absent`);
  return { path: null, reason };
}
