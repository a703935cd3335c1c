import type { SessionState } from '../../../../shared/ipc-contract';
import type { SessionAction } from '../../state/session-controller';
import { PauseIcon, PlayIcon, StepIcon, StopIcon } from './icons';

interface Props {
  state: SessionState;
  onAction: (action: SessionAction) => void;
}

const ACTIVE: readonly SessionState[] = ['running', 'paused', 'loading'];

/** Play/Pause as one toggle (its name says what it will do), Step and Stop. */
export function PlayControls({ state, onAction }: Props) {
  const active = ACTIVE.includes(state);
  const running = state === 'running';
  return (
    <div className="button-group" role="group" aria-label="Replay controls">
      <button
        type="button"
        className="icon-button"
        aria-keyshortcuts="Space"
        title={running ? 'Pause (Space)' : 'Play (Space)'}
        disabled={!active}
        onClick={() => onAction(running ? 'pause' : 'play')}
      >
        {running ? <PauseIcon /> : <PlayIcon />}
        <span className="button-text">{running ? 'Pause' : 'Play'}</span>
      </button>
      <button
        type="button"
        className="icon-button"
        aria-keyshortcuts="ArrowRight"
        title="Step one bar (→)"
        disabled={!active || running}
        onClick={() => onAction('step')}
      >
        <StepIcon />
        <span className="button-text">Step</span>
      </button>
      <button
        type="button"
        className="icon-button"
        title="Stop the session"
        disabled={!active}
        onClick={() => onAction('stop')}
      >
        <StopIcon />
        <span className="button-text">Stop</span>
      </button>
    </div>
  );
}
