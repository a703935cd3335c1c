/**
 * Keyboard shortcuts for the replay, as in TradingView's Bar Replay: Space plays or pauses,
 * → steps one bar, + and − change speed. A key pressed inside a control that uses it itself
 * (typing in a field, Space on a button, arrows in tabs) is left to that control.
 */
export type ShortcutAction =
  | 'togglePlay'
  | 'step'
  | 'faster'
  | 'slower'
  | 'stepBack'
  | 'minuteBack'
  | 'minuteForward'
  | 'toStart'
  | 'toNow';

/** What had focus when the key was pressed. */
export type FocusKind = 'none' | 'text' | 'button' | 'select' | 'tab' | 'range';

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

export const SHORTCUTS: ReadonlyArray<{ keys: string; action: ShortcutAction; label: string }> = [
  { keys: 'Space', action: 'togglePlay', label: 'Play / pause' },
  { keys: '→', action: 'step', label: 'Step one bar' },
  { keys: '←', action: 'stepBack', label: 'Step back one bar (paused)' },
  { keys: 'Shift+← / Shift+→', action: 'minuteBack', label: 'A minute back / forward' },
  { keys: 'Home / End', action: 'toStart', label: 'Session start / back to now' },
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
      if (focus === 'tab' || focus === 'range') return null;
      return press.shiftKey ? 'minuteForward' : 'step';
    case 'ArrowLeft':
      if (focus === 'tab' || focus === 'range') return null;
      return press.shiftKey ? 'minuteBack' : 'stepBack';
    case 'Home':
      return focus === 'range' ? null : 'toStart';
    case 'End':
      return focus === 'range' ? null : 'toNow';
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
