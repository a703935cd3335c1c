import { describe, expect, it } from 'vitest';
import { focusKind } from '../../src/renderer/src/state/focus-kind';
import { progressOf, progressPercent } from '../../src/renderer/src/state/progress';
import {
  formatQuality,
  qualityBand,
  stripRuns,
  stripSummary,
} from '../../src/renderer/src/state/quality';
import { shortcutFor } from '../../src/renderer/src/state/shortcuts';
import {
  SPEED_CHOICES,
  nextSpeed,
  speedChoicesWith,
  speedLabel,
} from '../../src/renderer/src/state/speed';
import { reconnectDelay } from '../../src/renderer/src/state/backoff';
import { cellSymbols } from '../../src/renderer/src/state/layout';

describe('speed', () => {
  it('offers the issue’s choices, max last', () => {
    expect(SPEED_CHOICES.map((c) => c.label)).toEqual([
      '1×',
      '2×',
      '5×',
      '10×',
      '30×',
      '60×',
      '300×',
      'max',
    ]);
    expect(speedLabel(0)).toBe('max');
  });
  it('adds a config’s own speed in order', () => {
    expect(speedChoicesWith(120).map((c) => c.value)).toEqual([1, 2, 5, 10, 30, 60, 120, 300, 0]);
    expect(speedChoicesWith(60)).toBe(SPEED_CHOICES);
  });
  it('steps faster and slower, max being the fastest', () => {
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(300, 1)).toBe(0);
    expect(nextSpeed(0, 1)).toBe(0);
    expect(nextSpeed(0, -1)).toBe(300);
    expect(nextSpeed(1, -1)).toBe(1);
    expect(nextSpeed(45, -1)).toBe(30);
  });
});

describe('shortcuts', () => {
  it('maps Space, →, + and − when nothing uses them', () => {
    expect(shortcutFor({ key: ' ' }, 'none')).toBe('togglePlay');
    expect(shortcutFor({ key: 'ArrowRight' }, 'none')).toBe('step');
    expect(shortcutFor({ key: 'ArrowLeft' }, 'none')).toBe('stepBack');
    expect(shortcutFor({ key: 'ArrowLeft', shiftKey: true }, 'button')).toBe('minuteBack');
    expect(shortcutFor({ key: 'ArrowRight', shiftKey: true }, 'none')).toBe('minuteForward');
    expect(shortcutFor({ key: 'Home' }, 'none')).toBe('toStart');
    expect(shortcutFor({ key: 'End' }, 'none')).toBe('toNow');
    expect(shortcutFor({ key: 'ArrowLeft' }, 'tab')).toBeNull();
    expect(shortcutFor({ key: 'Home' }, 'text')).toBeNull();
    expect(shortcutFor({ key: '+' }, 'none')).toBe('faster');
    expect(shortcutFor({ key: '-' }, 'none')).toBe('slower');
    expect(shortcutFor({ key: 'x' }, 'none')).toBeNull();
  });
  it('leaves keys to the control that uses them', () => {
    expect(shortcutFor({ key: ' ' }, 'text')).toBeNull();
    expect(shortcutFor({ key: ' ' }, 'button')).toBeNull();
    expect(shortcutFor({ key: 'ArrowRight' }, 'button')).toBe('step');
    expect(shortcutFor({ key: 'ArrowRight' }, 'tab')).toBeNull();
    expect(shortcutFor({ key: 'ArrowRight' }, 'select')).toBeNull();
    expect(shortcutFor({ key: ' ', ctrlKey: true }, 'none')).toBeNull();
  });
  it('tells kinds of focus apart', () => {
    const el = (tagName: string, type?: string, role?: string) => ({
      tagName,
      type,
      getAttribute: (n: string) => (n === 'role' ? (role ?? null) : null),
    });
    expect(focusKind(null)).toBe('none');
    expect(focusKind(el('BODY'))).toBe('none');
    expect(focusKind(el('INPUT', 'text'))).toBe('text');
    expect(focusKind(el('INPUT', 'datetime-local'))).toBe('text');
    expect(focusKind(el('INPUT', 'checkbox'))).toBe('button');
    expect(focusKind(el('TEXTAREA'))).toBe('text');
    expect(focusKind(el('SELECT'))).toBe('select');
    expect(focusKind(el('BUTTON', 'button', 'tab'))).toBe('tab');
    expect(focusKind(el('BUTTON', 'button'))).toBe('button');
  });
});

describe('quality', () => {
  it('bands at 99 and 95', () => {
    expect(qualityBand(99)).toBe('good');
    expect(qualityBand(98.99)).toBe('fair');
    expect(qualityBand(95)).toBe('fair');
    expect(qualityBand(94.9)).toBe('poor');
    expect(qualityBand(null)).toBe('none');
  });
  it('formats', () => {
    expect(formatQuality(100)).toBe('100%');
    expect(formatQuality(98.26)).toBe('98.3%');
    expect(formatQuality(null)).toBe('—');
  });
  it('collapses a strip into runs and counts states', () => {
    const states = [1, 1, 0, 0, 2, 1, 3];
    expect(stripRuns(states)).toEqual([
      { state: 'present', start: 0, length: 2 },
      { state: 'missing', start: 2, length: 2 },
      { state: 'refilled', start: 4, length: 1 },
      { state: 'present', start: 5, length: 1 },
      { state: 'partial', start: 6, length: 1 },
    ]);
    expect(stripSummary(states)).toEqual({ present: 3, missing: 2, refilled: 1, partial: 1 });
  });
});

describe('progress', () => {
  it('clamps and rounds to a tenth of a percent', () => {
    expect(progressPercent(0.12345)).toBe(12.3);
    expect(progressPercent(2)).toBe(100);
    expect(progressPercent(Number.NaN)).toBe(0);
    expect(progressOf(150, 100, 200)).toBe(0.5);
    expect(progressOf(null, 100, 200)).toBe(0);
    expect(progressOf(150, 200, 200)).toBe(0);
  });
});

describe('reconnect backoff', () => {
  it('doubles from 250 ms up to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => reconnectDelay(a))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});

describe('layout', () => {
  const info = (symbol: string) => ({
    symbol,
    baseInterval: '1s' as const,
    derivedIntervals: [],
    hasQuotes: false,
    hasTicks: false,
  });
  it('fills cells with the session’s symbols, honouring picks', () => {
    const symbols = [info('AAPL'), info('RIVN'), info('TSLA')];
    expect(cellSymbols(4, symbols, [])).toEqual(['AAPL', 'RIVN', 'TSLA', 'AAPL']);
    expect(cellSymbols(2, symbols, ['TSLA'])).toEqual(['TSLA', 'RIVN']);
    expect(cellSymbols(1, symbols, ['GONE'])).toEqual(['AAPL']);
    expect(cellSymbols(2, [], [])).toEqual(['', '']);
  });
});
