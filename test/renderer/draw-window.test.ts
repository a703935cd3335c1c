import { describe, expect, it } from 'vitest';
import {
  MIN_FOLLOW_WINDOW,
  extendedOffset,
  followWindow,
  initialOffset,
  planDraw,
} from '../../src/renderer/src/state/draw-window';

const o = { window: 100, batchLimit: 10 };

describe('planDraw', () => {
  it('does nothing without new bars', () => {
    expect(planDraw({ length: 50, offset: 0, drawnEnd: 50, atLiveEdge: true }, o)).toEqual({
      kind: 'none',
    });
  });
  it('appends a few new bars with update', () => {
    expect(planDraw({ length: 55, offset: 0, drawnEnd: 50, atLiveEdge: true }, o)).toEqual({
      kind: 'append',
      from: 50,
      to: 55,
    });
  });
  it('resets once when a frame brings more than the batch limit', () => {
    expect(planDraw({ length: 80, offset: 0, drawnEnd: 50, atLiveEdge: true }, o)).toEqual({
      kind: 'reset',
      offset: 0,
    });
    expect(planDraw({ length: 180, offset: 0, drawnEnd: 150, atLiveEdge: true }, o)).toEqual({
      kind: 'reset',
      offset: 80,
    });
  });
  it('trims to the window when following the live edge and holding twice it', () => {
    expect(planDraw({ length: 201, offset: 0, drawnEnd: 200, atLiveEdge: true }, o)).toEqual({
      kind: 'reset',
      offset: 101,
    });
  });
  it('never trims what a user browsing history is looking at', () => {
    expect(planDraw({ length: 301, offset: 0, drawnEnd: 300, atLiveEdge: false }, o)).toEqual({
      kind: 'append',
      from: 300,
      to: 301,
    });
    expect(planDraw({ length: 350, offset: 0, drawnEnd: 300, atLiveEdge: false }, o)).toEqual({
      kind: 'reset',
      offset: 0,
    });
  });
});

describe('window offsets', () => {
  it('start at the latest window and page back a window at a time', () => {
    expect(initialOffset(50, o)).toBe(0);
    expect(initialOffset(250, o)).toBe(150);
    expect(extendedOffset(150, o)).toBe(50);
    expect(extendedOffset(50, o)).toBe(0);
  });
});

describe('followWindow', () => {
  const wide = { window: 2000, batchLimit: 240 };
  it('holds twice the bars on screen, within the floor and the full window', () => {
    expect(followWindow(130, wide)).toBe(MIN_FOLLOW_WINDOW);
    expect(followWindow(400.5, wide)).toBe(801);
    expect(followWindow(1500, wide)).toBe(2000);
  });
  it('keeps the full window while the view is not known yet', () => {
    expect(followWindow(null, wide)).toBe(2000);
    expect(followWindow(Number.NaN, wide)).toBe(2000);
  });
  it('never trims bars a chart at the live edge is showing', () => {
    const visible = 500;
    const window = followWindow(visible, wide);
    const step = planDraw(
      { length: 2 * window + 1, offset: 0, drawnEnd: 2 * window, atLiveEdge: true },
      { ...wide, window },
    );
    expect(step).toEqual({ kind: 'reset', offset: window + 1 });
    expect(window).toBeGreaterThanOrEqual(visible);
  });
});
