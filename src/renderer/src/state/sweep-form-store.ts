/**
 * The Sweep view's form kept across page reloads (browser storage), one per strategy file: a
 * grid typed for one strategy names that strategy's params, so picking another strategy brings
 * back its own grid rather than this one. A stored form that does not read back as a form (an
 * older shape, a hand edit) is ignored, never trusted.
 */
import { z } from 'zod';
import type { SweepForm } from './sweep-form';

const PREFIX = 'tapedeck.sweep-form:';
const LAST = 'tapedeck.sweep-form.last';

/** What the view needs of browser storage (a fake one in tests). */
export type FormStorage = Pick<Storage, 'getItem' | 'setItem'>;

const text = z.string().max(10_000);
const DateDraftSchema = z.strictObject({ start: text, end: text });
const SweepFormSchema = z.strictObject({
  strategy: text,
  axes: z
    .array(
      z.strictObject({
        name: text,
        mode: z.enum(['list', 'range']),
        list: text,
        from: text,
        to: text,
        step: text,
      }),
    )
    .max(100),
  windowMode: z.enum(['windows', 'walk_forward']),
  windows: z.array(DateDraftSchema).max(1000),
  span: DateDraftSchema,
  trainDays: text,
  testDays: text,
  stepDays: text,
  rankBy: text,
  rankOrder: z.enum(['desc', 'asc']),
});

function browserStorage(): FormStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Keeps the form for its strategy, and which strategy was picked last. */
export function saveSweepForm(form: SweepForm, storage = browserStorage()): void {
  if (!storage || !form.strategy) return;
  try {
    storage.setItem(PREFIX + form.strategy, JSON.stringify(form));
    storage.setItem(LAST, form.strategy);
  } catch {
    // Storage full or refused (private mode): the form lasts for this page.
  }
}

/** The form last kept for `strategy`, or null. */
export function savedSweepForm(strategy: string, storage = browserStorage()): SweepForm | null {
  if (!storage || !strategy) return null;
  try {
    const raw = storage.getItem(PREFIX + strategy);
    if (raw === null) return null;
    const parsed = SweepFormSchema.safeParse(JSON.parse(raw));
    return parsed.success && parsed.data.strategy === strategy ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The form of the strategy picked last, as the page left it, or null. */
export function lastSweepForm(storage = browserStorage()): SweepForm | null {
  if (!storage) return null;
  try {
    const strategy = storage.getItem(LAST);
    return strategy ? savedSweepForm(strategy, storage) : null;
  } catch {
    return null;
  }
}
