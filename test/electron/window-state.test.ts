import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// One 1920×1080 display at the origin.
vi.mock('electron', () => ({
  screen: { getDisplayMatching: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }) },
}));
const { loadWindowState } = await import('../../src/main/electron/window-state');

function saved(state: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-window-')), 'window-state.json');
  writeFileSync(file, typeof state === 'string' ? state : JSON.stringify(state));
  return file;
}

describe('window state', () => {
  it('restores a saved place on a display, maximized or not', () => {
    const bounds = { x: 100, y: 50, width: 1400, height: 900 };
    expect(loadWindowState(saved({ bounds, maximized: true }))).toEqual({
      bounds,
      maximized: true,
      placed: true,
    });
  });

  it('keeps the size but not a place no display shows (a monitor unplugged)', () => {
    const state = loadWindowState(saved({ bounds: { x: 4000, y: 50, width: 1400, height: 900 } }));
    expect(state.placed).toBe(false);
    expect([state.bounds.width, state.bounds.height]).toEqual([1400, 900]);
  });

  it('falls back to the default for a missing, garbled or absurd file', () => {
    for (const file of [
      join(tmpdir(), 'no-such-dir', 'state.json'),
      saved('{not json'),
      saved({ bounds: { x: 0, y: 0, width: 10, height: 10 } }),
      saved({ bounds: { x: 'a', y: 0, width: 1000, height: 800 } }),
    ]) {
      expect(loadWindowState(file)).toMatchObject({ placed: false, maximized: false });
    }
  });
});
