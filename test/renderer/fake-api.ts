/**
 * A scripted TapedeckApi for the renderer's unit tests only: requests resolve from what a test
 * puts in, pushes are sent by the test. Never imported by the product.
 */
import type {
  BarColumns,
  LogEntry,
  QualityStrip,
  QuoteColumns,
  SessionSnapshot,
  SessionStatus,
  SessionUpdate,
  TapedeckApi,
  TickColumns,
} from '../../src/shared/ipc-contract';

export const PAUSED: SessionStatus = {
  state: 'paused',
  clock: 1000,
  speed: 1,
  progress: 0.1,
  events: 1,
  error: null,
};

export function emptyBars(): BarColumns {
  return { time: [], open: [], high: [], low: [], close: [], volume: [] };
}

export class FakeApi {
  calls: Array<{ method: string; params?: unknown }> = [];
  snapshotValue: SessionSnapshot = {
    info: {
      sessionName: 'demo',
      mode: 'backtest',
      symbols: [
        {
          symbol: 'AAPL',
          baseInterval: '1s',
          derivedIntervals: ['1m', '5m'],
          hasQuotes: true,
          hasTicks: false,
        },
      ],
      rangeStart: 0,
      rangeEnd: 100_000,
      notes: [],
    },
    status: PAUSED,
    stats: [],
    queues: [],
    queueText: [],
    logs: [],
  };
  bars = new Map<string, BarColumns | Error>();
  quotes: QuoteColumns = { time: [], bid: [], ask: [], bidSize: [], askSize: [] };
  ticks: TickColumns = { time: [], price: [], size: [], row: [] };
  strip: QualityStrip = { symbol: 'AAPL', offset: 0, final: 1, minutes: [0], states: [1] };
  controlResult: SessionStatus | Error = PAUSED;
  startError: Error | null = null;
  private updateListeners = new Set<(u: SessionUpdate) => void>();
  private logListeners = new Set<(e: LogEntry) => void>();
  private pendingBars: Array<() => void> = [];
  holdBars = false;
  /** qualityStrip replies wait for this when set. */
  stripGate: Promise<void> | null = null;

  push(update: SessionUpdate): void {
    for (const l of this.updateListeners) l(update);
  }

  pushLog(entry: LogEntry): void {
    for (const l of this.logListeners) l(entry);
  }

  /** Releases getBars replies held back with holdBars. */
  release(): void {
    for (const r of this.pendingBars.splice(0)) r();
  }

  api(): TapedeckApi {
    const record = (method: string, params?: unknown) => this.calls.push({ method, params });
    return {
      appInfo: async () => ({
        name: 't',
        version: '0',
        host: 'browser',
        dataDir: 'data',
        defaultConfig: null,
        defaultConfigName: null,
      }),
      validateConfig: async () => ({ ok: true, problems: [], notes: [] }),
      listConfigs: async () => [],
      loadConfig: async () => ({}),
      saveConfig: async () => ({ path: 'x' }),
      saveConfigAs: async () => null,
      startSession: async (r) => {
        record('startSession', r);
        if (this.startError) throw this.startError;
        return this.snapshotValue;
      },
      controlSession: async (r) => {
        record('controlSession', r);
        if (this.controlResult instanceof Error) throw this.controlResult;
        return this.controlResult;
      },
      setSpeed: async (r) => {
        record('setSpeed', r);
        return { ...PAUSED, speed: r.speed };
      },
      snapshot: async () => {
        record('snapshot');
        return this.snapshotValue;
      },
      getBars: (r) => {
        record('getBars', r);
        const value = this.bars.get(`${r.symbol}|${r.interval}`) ?? emptyBars();
        return new Promise((resolve, reject) => {
          const settle = () => (value instanceof Error ? reject(value) : resolve(value));
          if (this.holdBars) this.pendingBars.push(settle);
          else settle();
        });
      },
      getQuotes: async (r) => {
        record('getQuotes', r);
        return this.quotes;
      },
      getTicks: async (r) => {
        record('getTicks', r);
        return this.ticks;
      },
      qualityStrip: async (r) => {
        record('qualityStrip', r);
        const strip = this.strip;
        if (this.stripGate) await this.stripGate;
        return strip;
      },
      importPreview: async () => ({ importId: 'i', previews: [] }),
      importCommit: async () => ({ ok: false, cancelled: true, problems: [] }),
      importCancel: async () => undefined,
      catalog: async () => [],
      uploadBegin: async () => ({ uploadId: 'u' }),
      uploadChunk: async (r) => ({ received: r.offset }),
      uploadEnd: async () => ({ name: 'f', size: 0 }),
      listStrategies: async () => [],
      manualOrder: async () => ({ orderId: null, fills: [] }),
      cancelOrder: async () => ({ cancelled: false }),
      sweepStart: async () => {
        throw new Error('no sweeps in the fake');
      },
      sweepCancel: async () => undefined,
      sweepStatus: async () => null,
      onSessionUpdate: (l) => {
        this.updateListeners.add(l);
        return () => this.updateListeners.delete(l);
      },
      onLog: (l) => {
        this.logListeners.add(l);
        return () => this.logListeners.delete(l);
      },
      onImportProgress: () => () => undefined,
      onMenuCommand: () => () => undefined,
      onSweepProgress: () => () => undefined,
    };
  }
}
