/**
 * The typed contract between the renderer and the engine's host (Electron main, or the
 * browser-mode host over a WebSocket). Every request has a zod schema; the host validates each
 * payload against it before acting. Responses and pushed events are plain JSON: bars and quotes
 * travel as columns (one number array per field), never as an object per bar.
 */
import type { RunProgress } from './run-progress';
import type { LiveStatus } from './live-status';
import { z } from 'zod';
import type { GapSummary } from './gap-summary';
import { INTERVALS, type BaseInterval, type Interval } from './interval';
import type { ConfigProblem } from './session-config';
import {
  IMPORT_TARGETS,
  ImportOptionsSchema,
  type CatalogEntry,
  type ImportPreview,
  type ImportProgress,
  type ImportResult,
} from './import-contract';

import {
  CancelOrderRequestSchema,
  ManualOrderRequestSchema,
  type CancelOrderResponse,
  type ManualOrderResponse,
  type StrategyListing,
  type TradingUpdate,
} from './strategy/trading-contract';

import {
  SweepCancelRequestSchema,
  SweepStartRequestSchema,
  SweepStatusRequestSchema,
  type SweepProgress,
  type SweepSnapshot,
  type SweepStarted,
} from './sweep-contract';
import { type RequestName } from './ipc-channels';
import {
  request,
  requestSchemas,
  type RequestHandlers,
  type RequestInput,
  type RequestMethods,
  type RequestOutput,
  type RequestReply,
  type RequestSpec,
} from './request-map';

export { IPC, IPC_EVENTS, REQUEST_NAMES, type RequestName } from './ipc-channels';

// ---------------------------------------------------------------- requests

export const AppInfoRequestSchema = z.void();
export const ValidateConfigRequestSchema = z.strictObject({ config: z.unknown() });
export const ListConfigsRequestSchema = z.void();
/** A config's file name under `data/configs/`, e.g. `demo.json`; never a path. */
export const ConfigNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,80}\.json$/, 'A config name is a file name ending .json');
export const LoadConfigRequestSchema = z.strictObject({ name: ConfigNameSchema });
export const SaveConfigRequestSchema = z.strictObject({
  name: ConfigNameSchema,
  config: z.unknown(),
});

export const StartSessionRequestSchema = z.strictObject({
  config: z.unknown(),
  /**
   * Replay starts here (UTC epoch ms): everything before it is loaded at once and drawn as
   * history, then replay goes on paced (TradingView's "select bar"). Absent: from the start.
   */
  startAt: z.number().finite().optional(),
  /** Live sessions on a feed: record what the feed delivers into the store's parquet files. */
  record: z.boolean().optional(),
});
export const SESSION_ACTIONS = ['play', 'pause', 'step', 'stop', 'seek'] as const;
export const ControlSessionRequestSchema = z.strictObject({
  action: z.enum(SESSION_ACTIONS),
  /**
   * step only: step to this symbol's next bar close (one of ITS base intervals, e.g. a minute
   * for a 1m symbol). Default: the next bar close of any symbol.
   */
  symbol: z.string().min(1).max(32).optional(),
  /**
   * seek only: the backtest time (UTC epoch ms) to go to, paused there. Forward replays flat
   * out; backward restores the state at that time exactly (a fresh replay to it).
   */
  at: z.number().finite().optional(),
});
/** 0 = max (as fast as possible). */
export const SetSpeedRequestSchema = z.strictObject({ speed: z.number().nonnegative().finite() });
export const SnapshotRequestSchema = z.void();
export const GetBarsRequestSchema = z.strictObject({
  symbol: z.string().min(1).max(32),
  interval: z.enum(INTERVALS),
});
export const GetQuotesRequestSchema = z.strictObject({ symbol: z.string().min(1).max(32) });
/** Every trade print of a symbol held so far (a ticks-only symbol's chart draws them). */
export const GetTicksRequestSchema = z.strictObject({ symbol: z.string().min(1).max(32) });
/**
 * The data-quality strip of one symbol, from the session start up to the clock. `known`: how
 * many leading cells the caller holds from an earlier reply that called them final; the reply
 * then starts there, so a long session's strip is not sent whole each time.
 */
export const QualityStripRequestSchema = z.strictObject({
  symbol: z.string().min(1).max(32),
  known: z.number().int().min(0).max(1e9).optional(),
});
/**
 * Save as… through the desktop's file dialog (any folder). Resolves null when the user
 * cancels; the browser host refuses it (use saveConfig with a name there).
 */
export const SaveConfigAsRequestSchema = z.strictObject({
  config: z.unknown(),
  /** The name the dialog suggests, e.g. `demo copy.json`. */
  suggestedName: z.string().max(120).optional(),
});

/**
 * Browser uploads travel in chunks of at most this many bytes, one message each, so no message
 * (and no string in the page or the host) ever holds a whole file.
 */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/** A chunk's base64 text: 4 characters per 3 bytes, padded. */
const MAX_CHUNK_BASE64 = Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4;
/**
 * The largest file (and the most bytes in uploads waiting at once) a browser may upload: it is
 * written to the host's temp folder chunk by chunk, so the cap is about disk, not memory.
 */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/** The browser host's largest WebSocket message: a chunk's base64 plus its JSON envelope. */
export const MAX_MESSAGE_BYTES = MAX_CHUNK_BASE64 + 64 * 1024;

const Base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Expected base64 text');
/**
 * An uploaded file's name as the user's system gave it: printable, no NUL (the host refuses
 * folders and dot-names itself, naming them).
 */
export const UploadNameSchema = z
  .string()
  .min(1)
  .max(255)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'A file name without control characters');

/**
 * A file to import: a path on the host's disk (Electron, CLI; the browser host only accepts
 * paths inside its data directory), a finished chunked upload (browser), or a small file's
 * bytes inline.
 */
export const ImportFileSchema = z.union([
  z.strictObject({ path: z.string().min(1).max(4096) }),
  z.strictObject({ upload: z.string().min(1).max(64) }),
  z.strictObject({
    name: UploadNameSchema,
    /** The file's bytes, base64; larger files go by uploadBegin/uploadChunk/uploadEnd. */
    base64: Base64Schema,
  }),
]);
export type ImportFile = z.infer<typeof ImportFileSchema>;
export const ImportPreviewRequestSchema = z.strictObject({
  files: z.array(ImportFileSchema).min(1),
  options: ImportOptionsSchema.default({}),
});
export const ImportCommitRequestSchema = z.strictObject({
  /** From the preview's response: the files it staged. */
  importId: z.string().min(1),
  options: ImportOptionsSchema.default({}),
  to: z.enum(IMPORT_TARGETS).default('parquet'),
});
export const ImportCancelRequestSchema = z.strictObject({ importId: z.string().min(1) });
/** Announces an upload: refused at once when `size` is over the cap, before any byte is sent. */
export const UploadBeginRequestSchema = z.strictObject({
  name: UploadNameSchema,
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
/** One chunk, in order: `offset` is the number of bytes sent before it. */
export const UploadChunkRequestSchema = z.strictObject({
  uploadId: z.string().min(1).max(64),
  offset: z.number().int().nonnegative(),
  base64: Base64Schema.max(MAX_CHUNK_BASE64),
});
/** Closes an upload; refused unless exactly the declared size arrived. */
export const UploadEndRequestSchema = z.strictObject({ uploadId: z.string().min(1).max(64) });
export const CatalogRequestSchema = z.void();
/** The strategy files in `data/strategies/`, each with its declared params. */
export const ListStrategiesRequestSchema = z.void();
export { CancelOrderRequestSchema, ManualOrderRequestSchema };

// ---------------------------------------------------------------- responses

export interface AppInfo {
  name: string;
  version: string;
  /** Where the host runs the engine. */
  host: 'electron' | 'browser';
  dataDir: string;
  /** The config to open with: the last session's, else `data/configs/demo.json`, else null. */
  defaultConfig: unknown;
  defaultConfigName: string | null;
}

export interface ValidateConfigResponse {
  ok: boolean;
  problems: ConfigProblem[];
  notes: string[];
}

export type SessionState = 'idle' | 'loading' | 'running' | 'paused' | 'stopped' | 'done' | 'error';

export interface SymbolInfo {
  symbol: string;
  baseInterval: BaseInterval | null;
  /** Derived intervals computed for this symbol, finest first. */
  derivedIntervals: Interval[];
  hasQuotes: boolean;
  hasTicks: boolean;
  /** The symbol's exchange calendar (`XNYS`, `24x7`): 24x7 symbols are shown in UTC. */
  calendar?: string;
}

export interface SessionInfo {
  sessionName: string;
  mode: 'backtest' | 'live';
  symbols: SymbolInfo[];
  /** UTC epoch ms of the session's first and last availability time, for the progress bar. */
  rangeStart: number;
  rangeEnd: number;
  notes: string[];
}

/** Bars as columns. `time` is the bar START, UTC epoch ms; `baseBars` only for derived bars. */
export interface BarColumns {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  baseBars?: number[];
}

export interface QuoteColumns {
  time: number[];
  bid: number[];
  ask: number[];
  bidSize: number[];
  askSize: number[];
}

/**
 * Trade prints: UTC ms, price and size, and each print's row in the session's tape, so a
 * history and the pushes that overlap it join exactly (prints may share a millisecond).
 */
export interface TickColumns {
  time: number[];
  price: number[];
  size: number[];
  row: number[];
}

export interface FormingBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  baseBars: number;
}

export interface GapInfo {
  /** UTC epoch ms, [start, end). */
  start: number;
  end: number;
  expected: number;
  filled: number;
  attempts: number;
  outcome: 'pending' | 'filled' | 'partial' | 'missing';
}

export interface SymbolStats {
  symbol: string;
  baseInterval: BaseInterval | null;
  bars: number;
  /**
   * Of `bars`, how many are in memory now: a bounded session (retain_days) releases older days
   * to the store it streamed them from and reads them back when asked.
   */
  heldBars?: number;
  /** Percent, or null before any bar is expected. */
  quality: number | null;
  qualityNote: string | null;
  lastClose: number | null;
  bid: number | null;
  ask: number | null;
  /** Decimals this symbol's prices are shown with, learnt from its data (price-precision.ts). */
  pricePrecision?: number;
  derivedCounts: Partial<Record<Interval, number>>;
  /**
   * The largest few gaps (see gap-summary.ts), not all: sparse 1s data has thousands, which
   * the summary counts and the quality strip draws.
   */
  gaps: GapInfo[];
  gapSummary?: GapSummary;
}

/**
 * The data-quality strip: one cell per regular-hours minute of the session so far.
 * 0 = missing, 1 = present, 2 = refilled (present after a gap refill), 3 = partial.
 */
export interface QualityStrip {
  symbol: string;
  /**
   * Where in the whole strip `minutes` and `states` begin: the request's `known` when the host
   * could take it up, else 0 (the whole strip, which replaces what the caller held).
   */
  offset: number;
  /** Leading cells of the whole strip that can no longer change: the next request's `known`. */
  final: number;
  /** UTC epoch ms of each minute's start. */
  minutes: number[];
  states: number[];
}

export interface QueueStatInfo {
  symbol: string;
  /** `1s`, `1m`, `quotes` or `ticks`. */
  stream: string;
  items: number;
  first: number | null;
  last: number | null;
  staleSkipped: number;
}

export interface SessionStatus {
  state: SessionState;
  /** The backtest clock, UTC epoch ms, or null before the first item. */
  clock: number | null;
  speed: number;
  /** 0..1 across the session's date range. */
  progress: number;
  events: number;
  error: string | null;
  /** While a paced run sleeps: the availability time (UTC ms) of the item it waits for. */
  waitingFor?: number | null;
  /** A replay of the store: trading days done, events a second lately, time left. */
  run?: RunProgress;
  /** Live sessions on a feed: the connection, late items, recording (the status badge). */
  live?: LiveStatus | null;
}

/** Everything a renderer needs to draw the session from scratch (after a reload, say). */
export interface SessionSnapshot {
  info: SessionInfo | null;
  status: SessionStatus;
  stats: SymbolStats[];
  queues: QueueStatInfo[];
  /** The queue stats as the plan prints them: `AAPL | 1s: 390 items (09:30:00 - 09:36:30) | …`. */
  queueText: string[];
  logs: LogEntry[];
  /**
   * The derived bars forming now, as in SessionUpdate.forming. Resync: draw getBars' bars,
   * then these, then apply updates, dropping appended bars whose time is not after the last
   * one held (an update may overlap what getBars already returned).
   */
  forming?: SessionUpdate['forming'];
  /** Every fill, position, equity point and plot so far. */
  trading?: TradingUpdate;
}

/**
 * One frame's worth of change, pushed at most once per animation frame (~16 ms). Only what is
 * new since the previous update: completed bars appended, the forming bar replaced.
 */
export interface SessionUpdate {
  status: SessionStatus;
  /** symbol → interval → completed bars appended since the last update. */
  bars: Record<string, Partial<Record<Interval, BarColumns>>>;
  /** symbol → interval → the derived bar still forming (null once it completed). */
  forming: Record<string, Partial<Record<Interval, FormingBar | null>>>;
  /** symbol → quotes appended since the last update. */
  quotes: Record<string, QuoteColumns>;
  /**
   * symbol → quotes that came before those in `quotes` and were not sent (too many for one
   * frame at high speed). A chart showing the symbol refetches its quotes with getQuotes
   * rather than draw a line across the hole.
   */
  quotesDropped?: Record<string, number>;
  /**
   * symbol → trade prints since the last update, for symbols with ticks and no bar stream.
   * Past a frame's limit they are thinned (print-thinning.ts: each bucket's lowest and highest
   * print, never an average), and `ticksThinned` says how many were left out; getTicks has all.
   */
  ticks?: Record<string, TickColumns>;
  ticksThinned?: Record<string, number>;
  /** Present when stats changed (at most a few times a second). */
  stats?: SymbolStats[];
  queues?: QueueStatInfo[];
  queueText?: string[];
  /**
   * symbol → intervals whose completed bars changed BEFORE what was already sent (a gap
   * refill put bars into the past). Rare; a chart showing one refetches it with getBars.
   */
  revised?: Record<string, Interval[]>;
  /** Trading since the last update (fills, positions, equity, stats, plots). */
  trading?: TradingUpdate;
}

/**
 * What the desktop's app menu asks of the renderer (never sent in browser mode):
 * `configOpened` after File ▸ Open config… (the file's JSON, unvalidated: show it in the
 * editor), `saveConfigAs` for File ▸ Save config as… (answer with saveConfigAs), `importFiles`
 * after File ▸ Import… (pass them to importPreview).
 */
export type MenuCommand =
  | { command: 'configOpened'; path: string; config: unknown }
  | { command: 'saveConfigAs' }
  | { command: 'importFiles'; files: Array<{ path: string }> };

export interface LogEntry {
  /** Wall time, epoch ms. */
  time: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface ImportPreviewResponse {
  importId: string;
  previews: ImportPreview[];
}

export interface UploadBeginResponse {
  uploadId: string;
}

export interface UploadEndResponse {
  name: string;
  size: number;
}

export type ImportCommitResponse =
  { ok: true; result: ImportResult } | { ok: false; cancelled: boolean; problems: string[] };

/** A failed request: what the host sends back instead of a result. */
export interface ApiError {
  message: string;
  /** Validation problems, when the payload failed its schema. */
  issues?: string[];
}

/**
 * A request's reply envelope, on every transport (Electron IPC, the WebSocket, the engine
 * worker): the result, or the error the host refused it with. Refusals travel as data because
 * an Error thrown across IPC loses everything but its message.
 */
export type ApiReply<T = unknown> = { result: T } | { error: ApiError };

// ---------------------------------------------------------------- the API

/** Every request: its payload's schema, which the host validates first, and its reply. */
export const API_REQUESTS = {
  appInfo: request(AppInfoRequestSchema).replies<AppInfo>(),
  validateConfig: request(ValidateConfigRequestSchema).replies<ValidateConfigResponse>(),
  listConfigs: request(ListConfigsRequestSchema).replies<string[]>(),
  loadConfig: request(LoadConfigRequestSchema).replies<unknown>(),
  saveConfig: request(SaveConfigRequestSchema).replies<{ path: string }>(),
  startSession: request(StartSessionRequestSchema).replies<SessionSnapshot>(),
  controlSession: request(ControlSessionRequestSchema).replies<SessionStatus>(),
  setSpeed: request(SetSpeedRequestSchema).replies<SessionStatus>(),
  snapshot: request(SnapshotRequestSchema).replies<SessionSnapshot>(),
  getBars: request(GetBarsRequestSchema).replies<BarColumns>(),
  getQuotes: request(GetQuotesRequestSchema).replies<QuoteColumns>(),
  getTicks: request(GetTicksRequestSchema).replies<TickColumns>(),
  qualityStrip: request(QualityStripRequestSchema).replies<QualityStrip>(),
  saveConfigAs: request(SaveConfigAsRequestSchema).replies<{ path: string } | null>(),
  importPreview: request(ImportPreviewRequestSchema).replies<ImportPreviewResponse>(),
  importCommit: request(ImportCommitRequestSchema).replies<ImportCommitResponse>(),
  importCancel: request(ImportCancelRequestSchema).replies<void>(),
  catalog: request(CatalogRequestSchema).replies<CatalogEntry[]>(),
  uploadBegin: request(UploadBeginRequestSchema).replies<UploadBeginResponse>(),
  uploadChunk: request(UploadChunkRequestSchema).replies<{ received: number }>(),
  uploadEnd: request(UploadEndRequestSchema).replies<UploadEndResponse>(),
  listStrategies: request(ListStrategiesRequestSchema).replies<StrategyListing[]>(),
  /** Buy, Sell or Flatten during a replay, filled by the session's fill model. */
  manualOrder: request(ManualOrderRequestSchema).replies<ManualOrderResponse>(),
  /** Cancels a resting order during a replay. */
  cancelOrder: request(CancelOrderRequestSchema).replies<CancelOrderResponse>(),
  /** Plans a sweep (refused with every problem) and starts it; progress comes as events. */
  sweepStart: request(SweepStartRequestSchema).replies<SweepStarted>(),
  /** Stops a sweep: its worker processes are killed; resolves once they are gone. */
  sweepCancel: request(SweepCancelRequestSchema).replies<void>(),
  sweepStatus: request(SweepStatusRequestSchema).replies<SweepSnapshot | null>(),
} satisfies Record<RequestName, RequestSpec>;

type ApiRequests = typeof API_REQUESTS;
/** What a caller passes for request K. */
export type Input<K extends RequestName> = RequestInput<ApiRequests[K]>;
/** What request K's handler receives: validated, defaults applied. */
export type Output<K extends RequestName> = RequestOutput<ApiRequests[K]>;
export type Reply<K extends RequestName> = RequestReply<ApiRequests[K]>;
/** The host's handler per request; a name missing here is a compile error. */
export type ApiHandlers = RequestHandlers<ApiRequests>;
/** A request that passed its schema, named, so its handler can be looked up with its type. */
export type ValidRequest = { [K in RequestName]: { name: K; request: Output<K> } }[RequestName];

/** Each request's schema, for the host's one validating dispatcher. */
export const REQUEST_SCHEMAS = requestSchemas(API_REQUESTS);

/**
 * What the preload exposes as `window.tapedeck`, and what the browser-mode client implements
 * over its WebSocket: named functions, never ipcRenderer. Subscriptions return an unsubscribe.
 */
export interface TapedeckApi extends RequestMethods<ApiRequests> {
  onSessionUpdate(listener: (update: SessionUpdate) => void): () => void;
  onLog(listener: (entry: LogEntry) => void): () => void;
  onImportProgress(listener: (progress: ImportProgress & { importId: string }) => void): () => void;
  /** Desktop only; the browser client's subscription simply never fires. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  onSweepProgress(listener: (progress: SweepProgress) => void): () => void;
}
