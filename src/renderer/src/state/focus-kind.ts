/** What kind of control has focus, for the shortcut map (keys a control uses stay with it). */
import type { FocusKind } from './shortcuts';

export interface FocusTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  getAttribute?: (name: string) => string | null;
}

const TEXT_INPUTS = new Set([
  'text',
  'search',
  'number',
  'date',
  'time',
  'datetime-local',
  'email',
  'url',
  'password',
  'tel',
  'month',
  'week',
]);

export function focusKind(target: FocusTarget | null | undefined): FocusKind {
  if (!target || !target.tagName) return 'none';
  const tag = target.tagName.toLowerCase();
  const role = target.getAttribute?.('role') ?? null;
  if (target.isContentEditable || tag === 'textarea') return 'text';
  if (tag === 'select') return 'select';
  if (role === 'tab') return 'tab';
  if (tag === 'input') {
    const type = (target.type ?? 'text').toLowerCase();
    if (TEXT_INPUTS.has(type)) return 'text';
    if (type === 'range') return 'range';
    return 'button';
  }
  if (tag === 'button' || tag === 'summary' || role === 'button' || tag === 'a') return 'button';
  return 'none';
}
