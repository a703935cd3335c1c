/**
 * A live session's feed at a glance: connected / reconnecting (attempt, next try) / backfilling
 * / stale, the feed latency, and how many items came late. Nothing for a replay of the store.
 */
import { liveStateText, type LiveStatus } from '../../../../shared/live-status';

/** Healthy, working on it, or in trouble: the badge's colour. */
function tone(status: LiveStatus): 'ok' | 'busy' | 'bad' {
  if (status.state === 'connected') return 'ok';
  if (status.state === 'reconnecting' || status.state === 'stale' || status.state === 'closed') {
    return 'bad';
  }
  return 'busy';
}

export function LiveBadge(props: { live: LiveStatus | null | undefined }) {
  const { live } = props;
  if (!live) return null;
  const latency =
    live.latencyMs !== undefined ? `${Math.max(0, Math.round(live.latencyMs))} ms` : null;
  const title = [
    `Feed: ${liveStateText(live)}`,
    live.detail ? `(${live.detail})` : '',
    `${live.items} items received, ${live.reconnects} reconnects`,
    `${live.late} items arrived after their place in the merge had passed (kept, counted)`,
    live.recording ? 'Recording into the store' : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span
      className={`live-badge live-${tone(live)}`}
      role="status"
      aria-label="Feed status"
      title={title}
    >
      <span className="live-dot" aria-hidden="true" />
      <span className="live-state">{liveStateText(live)}</span>
      {latency && <span className="live-latency">{latency}</span>}
      <span className={live.late > 0 ? 'live-late has-late' : 'live-late'}>late {live.late}</span>
      {live.recording && <span className="live-rec">REC</span>}
    </span>
  );
}
