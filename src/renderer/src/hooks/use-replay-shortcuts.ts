/**
 * Space, →, + and − drive the replay wherever focus is, unless the focused control uses the
 * key itself (see state/shortcuts.ts).
 */
import { useEffect } from 'react';
import { focusKind } from '../state/focus-kind';
import type { SessionController } from '../state/session-controller';
import { shortcutFor, type ShortcutAction } from '../state/shortcuts';

const REPEATING: ReadonlySet<ShortcutAction> = new Set(['stepBack', 'minuteBack', 'minuteForward']);

export function useReplayShortcuts(controller: SessionController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented) return;
      const action = shortcutFor(e, focusKind(e.target as HTMLElement | null));
      if (!action) return;
      // Held ← and Shift+← repeat (the controller coalesces them into the latest target);
      // other keys act once per press.
      if (e.repeat && !REPEATING.has(action)) {
        e.preventDefault();
        return;
      }
      const { status } = controller.model;
      e.preventDefault();
      if (status.state !== 'running' && status.state !== 'paused') return;
      if (action === 'togglePlay') {
        void controller.control(status.state === 'running' ? 'pause' : 'play');
      } else if (action === 'step' && status.state === 'paused') {
        void controller.control('step');
      } else if (action === 'faster') {
        void controller.changeSpeed(1);
      } else if (action === 'slower') {
        void controller.changeSpeed(-1);
      } else if (action === 'stepBack' && status.state === 'paused') {
        void controller.stepBack();
      } else if (action === 'minuteBack' || action === 'minuteForward') {
        void controller.seekBy(action === 'minuteBack' ? -60_000 : 60_000);
      } else if (action === 'toStart' && controller.model.info) {
        void controller.seek(controller.model.info.rangeStart);
      } else if (action === 'toNow' && controller.furthest !== null) {
        void controller.seek(controller.furthest);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
