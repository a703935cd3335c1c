import type { SessionController, SessionAction } from '../../state/session-controller';
import { useSlice } from '../../hooks/use-slice';
import { ZONE_CHOICES, ZONE_LABELS, type ZoneChoice } from '../../state/display-zone';
import { BacktestClock } from './BacktestClock';
import { WaitingFor } from './WaitingFor';
import { LiveBadge } from './LiveBadge';
import { PlayControls } from './PlayControls';
import { SessionProgress } from './SessionProgress';
import { RunFigures } from './RunFigures';
import { SpeedSelect } from './SpeedSelect';
import { StartAt } from './StartAt';

export type ChartLayout = 1 | 2 | 4;
/** What fills the window under the toolbar: the replay's charts, or the Sweep view. */
export type AppView = 'replay' | 'sweep';

interface Props {
  controller: SessionController;
  canStart: boolean;
  startBlockedReason: string | null;
  onStart: () => void;
  /** The config is a live session on a feed: offer to record it into the store. */
  recordable?: boolean;
  record?: boolean;
  onRecord?: (record: boolean) => void;
  /** Why the last Start was refused, shown under the button until dismissed or retried. */
  startFailure?: string | null;
  /** Goes to the Start at time in the open session. */
  onGoTo?: () => void;
  onDismissStartFailure?: () => void;
  startAt: string;
  /** The zone Start at is read in (the session's). */
  startZone: string;
  onStartAt: (value: string) => void;
  startAtMin?: string;
  startAtMax?: string;
  layout: ChartLayout;
  onLayout: (layout: ChartLayout) => void;
  onImport: () => void;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
  zoneChoice: ZoneChoice;
  onZoneChoice: (choice: ZoneChoice) => void;
  /** The IANA zone the clock and charts show (the choice, resolved). */
  zone: string;
  view: AppView;
  onView: (view: AppView) => void;
}

export function Toolbar(props: Props) {
  const { controller } = props;
  useSlice(controller.model, 'status');
  useSlice(controller.model, 'info');
  const { status, info } = controller.model;
  const act = (action: SessionAction): void => void controller.control(action);
  return (
    <header className="toolbar" aria-label="Replay toolbar">
      <div className="brand" aria-hidden="true">
        Tapedeck
      </div>
      <button
        type="button"
        aria-expanded={props.sidebarOpen}
        aria-controls="sidebar"
        title={props.sidebarOpen ? 'Hide the config editor' : 'Show the config editor'}
        onClick={props.onToggleSidebar}
      >
        Config
      </button>
      <button
        type="button"
        className="view-toggle"
        aria-pressed={props.view === 'sweep'}
        title={
          props.view === 'sweep'
            ? 'Back to the replay'
            : 'Parameter sweeps: run the strategy over a grid of params'
        }
        onClick={() => props.onView(props.view === 'sweep' ? 'replay' : 'sweep')}
      >
        Sweep
      </button>
      <div className="toolbar-group start-group">
        <StartAt
          value={props.startAt}
          zone={props.startZone}
          onChange={props.onStartAt}
          min={props.startAtMin}
          max={props.startAtMax}
        />
        <button
          type="button"
          className="primary"
          disabled={!props.canStart}
          title={props.startBlockedReason ?? 'Start the session with this config'}
          onClick={props.onStart}
        >
          Start
        </button>
        {props.recordable && (
          <label
            className="field-inline record-toggle"
            title="Record every bar, quote and tick the feed delivers into the store (parquet, one file per UTC day)"
          >
            <input
              type="checkbox"
              checked={props.record ?? false}
              onChange={(e) => props.onRecord?.(e.target.checked)}
            />
            <span>Record</span>
          </label>
        )}
        {props.onGoTo && (
          <button
            type="button"
            disabled={
              props.startAt.trim() === '' ||
              (status.state !== 'paused' && status.state !== 'running')
            }
            title="Go to the Start at time in the running session (back restores it exactly)"
            onClick={props.onGoTo}
          >
            Go to
          </button>
        )}
        {props.startFailure && (
          <div className="start-failure" role="alert" aria-label="Start refused">
            <span>{props.startFailure}</span>
            <button
              type="button"
              className="link-button"
              aria-label="Dismiss"
              onClick={props.onDismissStartFailure}
            >
              ×
            </button>
          </div>
        )}
      </div>
      <div className="toolbar-group">
        <PlayControls state={status.state} onAction={act} />
        <SpeedSelect speed={status.speed} onSpeed={(s) => void controller.setSpeed(s)} />
      </div>
      <div className="toolbar-group clock-group">
        <BacktestClock clock={status.clock} zone={props.zone} />
        <select
          aria-label="Time zone"
          value={props.zoneChoice}
          title={`Times on the clock and the charts' axes: ${props.zone}`}
          onChange={(e) => props.onZoneChoice(e.target.value as ZoneChoice)}
        >
          {ZONE_CHOICES.map((c) => (
            <option key={c} value={c}>
              {ZONE_LABELS[c]}
            </option>
          ))}
        </select>
        <span className={`state-badge state-${status.state}`} aria-label="Session state">
          {status.state}
        </span>
        <LiveBadge live={status.live} />
        <WaitingFor
          clock={status.clock}
          waitingFor={status.waitingFor}
          speed={status.speed}
          zone={props.zone}
        />
      </div>
      <div className="toolbar-group grow">
        <SessionProgress
          progress={status.progress}
          label={info?.sessionName ?? 'the session'}
          onSeekFraction={
            info && (status.state === 'paused' || status.state === 'running')
              ? (f) => void controller.seek(info.rangeStart + f * (info.rangeEnd - info.rangeStart))
              : undefined
          }
        />
        <RunFigures run={status.run} running={status.state === 'running'} />
      </div>
      <div className="toolbar-group">
        <label className="field-inline">
          <span className="field-label compact-hide">Layout</span>
          <select
            aria-label="Layout"
            value={String(props.layout)}
            onChange={(e) => props.onLayout(Number(e.target.value) as ChartLayout)}
          >
            <option value="1">1 chart</option>
            <option value="2">2 charts</option>
            <option value="4">4 charts</option>
          </select>
        </label>
        <button type="button" onClick={props.onImport} title="Import parquet or CSV files">
          Import…
        </button>
      </div>
    </header>
  );
}
