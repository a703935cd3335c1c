import { describe, expect, it } from 'vitest';
import { MarkerWindow } from '../../src/renderer/src/components/charts/marker-window';

describe('MarkerWindow', () => {
  it('draws a window of half the view each side, then nothing while the view scrolls inside it', () => {
    const w = new MarkerWindow(250);
    expect(w.next(1000, 2000, 10, true, 0)).toEqual({ from: 500, to: 2500 });
    expect(w.next(1100, 2100, 10, false, 5)).toBeNull();
    expect(w.next(1490, 2490, 10, false, 10)).toBeNull();
    // Leaving the window redraws at once, even without new fills and inside the refresh time.
    expect(w.next(1600, 2600, 10, false, 15)).toEqual({ from: 1100, to: 3100 });
  });

  it('redraws for new fills inside the window at most every refresh interval', () => {
    const w = new MarkerWindow(250);
    w.next(0, 100, 1, true, 0);
    expect(w.next(10, 110, 1, true, 100)).toBeNull();
    expect(w.next(10, 110, 1, true, 249)).toBeNull();
    expect(w.next(10, 110, 1, true, 250)).toEqual({ from: -40, to: 160 });
  });

  it('widens by at least the margin given (a bar) and starts over after reset', () => {
    const w = new MarkerWindow(250);
    expect(w.next(100, 102, 60, false, 0)).toEqual({ from: 40, to: 162 });
    expect(w.next(100, 102, 60, false, 1)).toBeNull();
    w.reset();
    expect(w.next(100, 102, 60, false, 2)).toEqual({ from: 40, to: 162 });
  });
});
