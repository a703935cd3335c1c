/**
 * Keyboard shortcuts for the replay, as in TradingView's Bar Replay: Space plays or pauses,
 * → steps one bar, + and − change speed. A key pressed inside a control that uses it itself
 * (typing in a field, Space on a button, arrows in tabs) is left to that control.
 */
export type ShortcutAction = 'togglePlay' | 'step' | 'faster' | 'slower';

/** What had focus when the key was pressed. */
export type FocusKind = 'none' | 'text' | 'button' | 'select' | 'tab' | 'range';

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

export const SHORTCUTS: ReadonlyArray<{ keys: string; action: ShortcutAction; label: string }> = [
  { keys: 'Space', action: 'togglePlay', label: 'Play / pause' },
  { keys: '→', action: 'step', label: 'Step one bar' },
  { keys: '+', action: 'faster', label: 'Faster' },
  { keys: '−', action: 'slower', label: 'Slower' },
];

export function shortcutFor(press: KeyPress, focus: FocusKind): ShortcutAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (focus === 'text' || focus === 'select') return null;
  switch (press.key) {
    case ' ':
    case 'Spacebar':
      return focus === 'button' || focus === 'tab' ? null : 'togglePlay';
    case 'ArrowRight':
      return focus === 'tab' || focus === 'range' ? null : 'step';
    case '+':
    case '=':
      return 'faster';
    case '-':
    case '_':
      return 'slower';
    default:
      return null;
  }
}
