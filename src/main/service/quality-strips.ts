/**
 * A session's quality strips, kept between requests (docs/long-sessions.md). The app asks for
 * every symbol's strip about once a second while a replay plays; worked out from scratch, each
 * request read the symbol's base bars of the whole session, back from the store for released
 * days: about 0.4 s a symbol for 20 days of 1s bars. Here the minutes that can no longer change
 * are worked out once and kept, and a request works out only the minutes after them.
 *
 * A minute can no longer change once it ends before the upkeep's hold (its slots are scanned
 * and every gap touching them settled, so no refill will put a bar there or change what was
 * filled) or before the days a bounded session released (which it released only past that
 * hold). Without either, every request works the strip out again, from memory.
 */
import type { QualityStrip } from '../../shared/ipc-contract';
import type { BaseInterval } from '../../shared/interval';
import type { Session } from '../host/session-host';
import { stripCells } from './quality-strip';

interface Kept {
  /** Where the strip starts: the session's range, or its first bar. */
  from: number;
  /** Cells kept so far, and where the next of them starts (or the time they are kept to). */
  minutes: number[];
  states: number[];
  upTo: number;
  /** Started again since the last request: what a caller holds is from before, not ours. */
  restarted: boolean;
}

export class QualityStrips {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly session: Session,
    /** The start of the session's range, or 0 when it has none (the first bar starts it). */
    private readonly rangeStart: number,
  ) {
    // A bounded session's days are worked out as they leave memory, so no request reads them
    // back from the store (a replay at full speed is done before the first strip is asked).
    session.retention?.onReleasing((symbol, before) => {
      const interval = session.sessionData.getSymbolData(symbol)?.base_interval;
      if (interval)
        this.settle(this.keptOf(symbol, Number.NEGATIVE_INFINITY), symbol, interval, before);
    });
  }

  /**
   * The strip of `symbol` from the session's start up to `clock` (complete minutes only), from
   * cell `known` on when the caller holds that many final cells, else whole.
   */
  of(symbol: string, baseInterval: BaseInterval, clock: number, known = 0): QualityStrip {
    const kept = this.keptOf(symbol, clock);
    const offset = kept.restarted || known > kept.minutes.length ? 0 : known;
    kept.restarted = false;
    this.settle(kept, symbol, baseInterval, Math.min(clock, this.settledBefore(symbol)));
    const open = this.cells(symbol, baseInterval, kept.upTo, clock);
    return {
      symbol,
      offset,
      final: kept.minutes.length,
      minutes: kept.minutes.slice(offset).concat(open.minutes),
      states: kept.states.slice(offset).concat(open.states),
    };
  }

  /** The symbol's kept cells, started again when the session's first bar changed. */
  private keptOf(symbol: string, clock: number): Kept {
    const data = this.session.sessionData.getSymbolData(symbol);
    const first = data?.released.days[0]?.from ?? data?.bars_base.timestamp[0];
    const from = this.rangeStart || (data && data.baseBarCount > 0 ? first! : clock);
    const kept = this.kept.get(symbol);
    if (kept && kept.from === from) return kept;
    const started: Kept = {
      from,
      minutes: [],
      states: [],
      upTo: from,
      restarted: kept !== undefined,
    };
    this.kept.set(symbol, started);
    return started;
  }

  /** Works out and keeps the cells up to `settled`, a time before which nothing changes. */
  private settle(kept: Kept, symbol: string, baseInterval: BaseInterval, settled: number): void {
    if (!(settled > kept.upTo)) return;
    const cells = this.cells(symbol, baseInterval, kept.upTo, settled);
    for (let i = 0; i < cells.minutes.length; i++) {
      kept.minutes.push(cells.minutes[i]!);
      kept.states.push(cells.states[i]!);
    }
    kept.upTo = cells.resume;
  }

  /** Before this time, the symbol's base bars and gaps no longer change. */
  private settledBefore(symbol: string): number {
    const released = this.session.sessionData.getSymbolData(symbol)?.released.before;
    const held = this.session.upkeep?.heldFrom(symbol) ?? Number.NEGATIVE_INFINITY;
    return Math.max(released ?? Number.NEGATIVE_INFINITY, held);
  }

  private cells(symbol: string, baseInterval: BaseInterval, from: number, to: number) {
    const session = this.session;
    return stripCells({
      symbol,
      baseInterval,
      bars: session.history.between(symbol, baseInterval, from, to + 1),
      gaps: session.upkeep?.gapsBetween(symbol, from, to + 1) ?? [],
      calendar: session.calendarOf(symbol),
      from,
      to,
    });
  }
}
