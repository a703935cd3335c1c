/**
 * The window's size and place, remembered under userData between runs. A saved place that no
 * longer fits any display (a monitor unplugged) is dropped, so the window never opens
 * off-screen.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, Rectangle } from 'electron';
import { screen } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT: WindowState = {
  bounds: { x: 0, y: 0, width: 1280, height: 800 },
  maximized: false,
};

function isBounds(value: unknown): value is Rectangle {
  const b = value as Rectangle;
  return (
    typeof b === 'object' &&
    b !== null &&
    [b.x, b.y, b.width, b.height].every((n) => Number.isInteger(n)) &&
    b.width >= 400 &&
    b.height >= 300
  );
}

export function loadWindowState(file: string): WindowState & { placed: boolean } {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    if (!isBounds(saved.bounds)) return { ...DEFAULT, placed: false };
    const area = screen.getDisplayMatching(saved.bounds).workArea;
    const visible =
      saved.bounds.x < area.x + area.width - 50 &&
      saved.bounds.y < area.y + area.height - 50 &&
      saved.bounds.x + saved.bounds.width > area.x + 50 &&
      saved.bounds.y >= area.y - 10;
    return {
      bounds: visible
        ? saved.bounds
        : { ...DEFAULT.bounds, width: saved.bounds.width, height: saved.bounds.height },
      maximized: saved.maximized === true,
      placed: visible,
    };
  } catch {
    return { ...DEFAULT, placed: false };
  }
}

/** Saves the normal (not maximized) bounds when the window closes. */
export function rememberWindowState(window: BrowserWindow, file: string): void {
  window.on('close', () => {
    const state: WindowState = {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    };
    try {
      writeFileSync(file, `${JSON.stringify(state)}\n`);
    } catch {
      // Losing the window's place is not worth failing a quit over.
    }
  });
}
