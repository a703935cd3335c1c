/**
 * A symbol's data quality by minute across the session so far: present, missing, refilled,
 * partial. Drawn on a canvas as runs (not a node per minute), with a text summary for screen
 * readers and a tooltip naming the minute under the pointer.
 */
import { useEffect, useRef, useState } from 'react';
import type { QualityStrip as Strip } from '../../../../shared/ipc-contract';
import { formatExchangeClock } from '../../state/exchange-time';
import { stripRuns, stripState, stripSummary } from '../../state/quality';

const COLORS = {
  present: '#26a69a',
  missing: '#ef5350',
  refilled: '#42a5f5',
  partial: '#ffb74d',
} as const;

export function QualityStrip({ strip, zone }: { strip: Strip; zone: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string | null>(null);
  const counts = stripSummary(strip.states);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const width = c.clientWidth || 300;
    const height = c.clientHeight || 10;
    const ratio = window.devicePixelRatio || 1;
    c.width = Math.round(width * ratio);
    c.height = Math.round(height * ratio);
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, height);
    const n = strip.states.length;
    if (n === 0) return;
    const cell = width / n;
    for (const run of stripRuns(strip.states)) {
      ctx.fillStyle = COLORS[run.state];
      ctx.fillRect(run.start * cell, 0, Math.max(1, run.length * cell), height);
    }
  }, [strip]);
  const summary =
    `${strip.symbol}: ${counts.present} minutes present, ${counts.missing} missing, ` +
    `${counts.refilled} refilled, ${counts.partial} partial`;
  return (
    <div className="quality-strip">
      <span className="strip-symbol">{strip.symbol}</span>
      <canvas
        ref={canvas}
        role="img"
        aria-label={summary}
        title={hover ?? summary}
        onPointerMove={(e) => {
          const n = strip.states.length;
          if (n === 0) return;
          const rect = e.currentTarget.getBoundingClientRect();
          const i = Math.min(
            n - 1,
            Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * n)),
          );
          setHover(
            `${formatExchangeClock(strip.minutes[i], zone)}: ${stripState(strip.states[i])}`,
          );
        }}
        onPointerLeave={() => setHover(null)}
      />
    </div>
  );
}
