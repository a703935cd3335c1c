/** Every error, warning and note, from the host and from this window, newest at the bottom. */
import { useEffect, useRef } from 'react';
import { useSlice } from '../../hooks/use-slice';
import type { SessionController } from '../../state/session-controller';

/** The entry's wall time, on this machine's clock (log times are wall time, not backtest). */
function wallTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function LogPane({ controller }: { controller: SessionController }) {
  useSlice(controller.model, 'logs');
  const { logs } = controller.model;
  const list = useRef<HTMLOListElement>(null);
  const problems = logs.filter((e) => e.level !== 'info').length;
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [logs]);
  return (
    <section className="panel log-panel" aria-labelledby="log-title">
      <h2 id="log-title">Log{problems > 0 && <span className="badge-warn"> {problems}</span>}</h2>
      <ol className="log" role="log" aria-labelledby="log-title" ref={list} tabIndex={0}>
        {logs.map((e, i) => (
          <li key={`${e.time}-${i}`} className={`log-${e.level}`}>
            <time>{wallTime(e.time)}</time> <span className="log-level">{e.level}</span> {e.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
