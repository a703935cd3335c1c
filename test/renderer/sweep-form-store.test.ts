/**
 * The Sweep form across reloads: kept per strategy file, the last strategy's form comes back
 * first, and whatever does not read back as a form (or storage that refuses) is ignored.
 */
import { describe, expect, it } from 'vitest';
import { emptyForm, type SweepForm } from '../../src/renderer/src/state/sweep-form';
import {
  lastSweepForm,
  savedSweepForm,
  saveSweepForm,
  type FormStorage,
} from '../../src/renderer/src/state/sweep-form-store';

function memoryStorage(): FormStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

function formFor(strategy: string, fast: string): SweepForm {
  return {
    ...emptyForm({ start: '2024-03-04', end: '2024-03-05' }),
    strategy,
    axes: [{ name: 'fast', mode: 'list', list: fast, from: '', to: '', step: '' }],
    windowMode: 'walk_forward',
    trainDays: '3',
    rankBy: 'sharpe',
    rankOrder: 'asc',
  };
}

describe('sweep form storage', () => {
  it('gives each strategy its own form back, and the last one first', () => {
    const storage = memoryStorage();
    const ema = formFor('ema-crossover.ts', '5, 8');
    const orb = formFor('opening-range-breakout.ts', '1, 2, 3');
    saveSweepForm(ema, storage);
    saveSweepForm(orb, storage);
    expect(savedSweepForm('ema-crossover.ts', storage)).toEqual(ema);
    expect(savedSweepForm('opening-range-breakout.ts', storage)).toEqual(orb);
    expect(lastSweepForm(storage)).toEqual(orb);
    saveSweepForm({ ...ema, axes: [] }, storage);
    expect(lastSweepForm(storage)).toEqual({ ...ema, axes: [] });
    expect(savedSweepForm('other.ts', storage)).toBeNull();
  });

  it('keeps nothing for a form without a strategy', () => {
    const storage = memoryStorage();
    saveSweepForm(emptyForm({ start: '', end: '' }), storage);
    expect(storage.items.size).toBe(0);
    expect(lastSweepForm(storage)).toBeNull();
  });

  it('ignores what does not read back as that strategy’s form', () => {
    const storage = memoryStorage();
    const key = 'tapedeck.sweep-form:ema-crossover.ts';
    storage.setItem('tapedeck.sweep-form.last', 'ema-crossover.ts');
    for (const raw of [
      '{not json',
      '[]',
      JSON.stringify({ ...formFor('ema-crossover.ts', '5'), windowMode: 'sideways' }),
      JSON.stringify({ ...formFor('ema-crossover.ts', '5'), extra: 1 }),
      JSON.stringify(formFor('another.ts', '5')),
    ]) {
      storage.setItem(key, raw);
      expect(savedSweepForm('ema-crossover.ts', storage)).toBeNull();
      expect(lastSweepForm(storage)).toBeNull();
    }
  });

  it('goes on when storage refuses to read or write', () => {
    const refusing: FormStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => saveSweepForm(formFor('ema-crossover.ts', '5'), refusing)).not.toThrow();
    expect(savedSweepForm('ema-crossover.ts', refusing)).toBeNull();
    expect(lastSweepForm(refusing)).toBeNull();
  });
});
