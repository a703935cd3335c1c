/**
 * What a paced session is waiting for, when the wait is long enough to look like a hang: the
 * next item's time (in the clock's zone) and how long that is at the current speed.
 */
import { formatExchangeClock, zoneAbbreviation } from '../../state/exchange-time';

/** Waits shorter than this (wall time) are the normal rhythm of pacing, not worth a word. */
const WORTH_SAYING_MS = 2000;

export function waitText(
  clock: number | null,
  waitingFor: number | null | undefined,
  speed: number,
  zone: string,
): string | null {
  if (waitingFor === null || waitingFor === undefined || speed <= 0) return null;
  const wallMs = clock === null ? Infinity : (waitingFor - clock) / speed;
  if (wallMs < WORTH_SAYING_MS) return null;
  const at = `${formatExchangeClock(waitingFor, zone)} ${zoneAbbreviation(waitingFor, zone)}`;
  return clock === null
    ? `waiting for the first item, at ${at}`
    : `waiting for the next item, at ${at} (${duration(wallMs)} at ${speed}×)`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

export function WaitingFor(props: {
  clock: number | null;
  waitingFor: number | null | undefined;
  speed: number;
  zone: string;
}) {
  const text = waitText(props.clock, props.waitingFor, props.speed, props.zone);
  if (text === null) return null;
  return (
    <span className="waiting-for" role="status" aria-label="Waiting for">
      {text}
    </span>
  );
}
