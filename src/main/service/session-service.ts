/**
 * The API's semantics, once, for every host: the Electron worker and the browser-mode host
 * both hand each request to `handle(method, payload)` and forward what `emit` pushes. Every
 * payload is validated against the contract's schema first; every failure comes back as an
 * ApiRequestError (a message, and the schema's issues when there are any).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type {
  ApiHandlers,
  AppInfo,
  BarColumns,
  Output,
  Reply,
  QualityStrip,
  QuoteColumns,
  RequestName,
  SessionSnapshot,
  SessionStatus,
  SessionUpdate,
  TickColumns,
  ValidateConfigResponse,
} from '../../shared/ipc-contract';
import { parseSessionConfig } from '../../shared/session-config';
import type { EventName } from '../../shared/ws-protocol';
import { ApiRequestError } from './api-error';
import { HistoryError } from '../engine/bar-history';
import { barColumns, emptyBars, formingBar, quoteColumns, tickColumns } from './columns';
import { ConfigStore } from './config-store';
import { FrameBatcher, type FrameOptions } from './frame-batcher';
import { ImportHost } from '../host/import-engine';
import { ImportBridge, type ImportEngine } from './import-bridge';
import { LogRing } from './log-ring';
import { validateRequest } from './request-validation';
import { ReplaySession } from './replay-session';
import { ReplayCheckpoints } from './replay-checkpoints';
import { statsSnapshot } from './session-stats';
import { listStrategies } from './strategy-files';
import { SweepHost, type SweepRunner } from './sweep-host';
import { runLocal } from '../sweep/sweep-runner';
import { TradingFeed } from './trading-feed';

export interface SessionServiceOptions {
  dataDir: string;
  host: AppInfo['host'];
  name?: string;
  version?: string;
  /** Pushes an event to the renderer(s). */
  emit: (event: EventName, payload: unknown) => void;
  importEngine?: ImportEngine;
  /** Where the last started session's config is remembered (the desktop's userData). */
  lastSessionFile?: string | null;
  /** The config to open with (`npm run web -- --config`); wins over the last session's. */
  defaultConfigFile?: string | null;
  frame?: FrameOptions;
  /** False: going back always replays from the session start (the bench's comparison). */
  checkpoints?: boolean;
  /** Runs the app's sweeps; default: worker processes on this machine (sweep-runner.ts). */
  sweepRunner?: SweepRunner;
}

const IDLE: SessionStatus = {
  state: 'idle',
  clock: null,
  speed: 0,
  progress: 0,
  events: 0,
  error: null,
};

export class SessionService {
  readonly dataDir: string;
  private readonly configs: ConfigStore;
  /** The config of the session now open, replayed from when seeking back. */
  private runningConfig: unknown = null;
  private readonly logs: LogRing;
  private readonly imports: ImportBridge;
  private readonly sweeps: SweepHost;
  private replay: ReplaySession | null = null;
  private batcher: FrameBatcher | null = null;
  private starting: Promise<unknown> = Promise.resolve();
  /** The seek running now, and the target asked for since (see seekLatest). */
  private seeking: Promise<SessionStatus> | null = null;
  private seekWanted: number | null = null;
  /** Where going back starts from: a spare replay at a checkpoint, else the session start. */
  readonly checkpoints = new ReplayCheckpoints((at) => this.openSpare(at));

  constructor(private readonly options: SessionServiceOptions) {
    this.dataDir = resolve(options.dataDir);
    this.configs = new ConfigStore(this.dataDir);
    this.logs = new LogRing((entry) => options.emit('log', entry));
    this.imports = new ImportBridge({
      dataDir: this.dataDir,
      engine: options.importEngine ?? new ImportHost(),
      onProgress: (progress) => options.emit('importProgress', progress),
      onLog: (level, message) => this.logs.add(level, message),
      // Any local page can reach the browser host: it may name no file outside the data dir.
      pathPolicy: options.host === 'browser' ? 'data-dir' : 'any',
    });
    this.sweeps = new SweepHost({
      dataDir: this.dataDir,
      run: options.sweepRunner ?? runLocal,
      emit: (progress) => options.emit('sweepProgress', progress),
    });
  }

  /**
   * One handler per request, given the payload its schema parsed; a request missing here is a
   * compile error.
   */
  private readonly handlers: ApiHandlers = {
    appInfo: () => this.appInfo(),
    validateConfig: async ({ config }) => validate(config),
    listConfigs: () => this.configs.list(),
    loadConfig: ({ name }) => this.configs.load(name),
    saveConfig: ({ name, config }) => this.configs.save(name, config),
    saveConfigAs: async () => {
      throw new ApiRequestError(
        'Save as… needs the desktop app; in the browser, save under a name with saveConfig',
      );
    },
    startSession: (request) => this.startSession(request),
    controlSession: (request) => this.control(request),
    setSpeed: ({ speed }) => this.setSpeed(speed),
    snapshot: async () => this.snapshot(),
    getBars: async (request) => this.getBars(request),
    getQuotes: async ({ symbol }) => this.getQuotes(symbol),
    getTicks: async ({ symbol }) => this.getTicks(symbol),
    qualityStrip: async ({ symbol, known }) => this.qualityStrip(symbol, known ?? 0),
    importPreview: ({ files, options }) => this.imports.preview(files, options),
    importCommit: ({ importId, options, to }) => this.imports.commit(importId, options, to),
    importCancel: ({ importId }) => this.imports.cancel(importId),
    catalog: () => this.imports.catalog(),
    uploadBegin: ({ name, size }) => this.imports.uploadBegin(name, size),
    uploadChunk: ({ uploadId, offset, base64 }) =>
      this.imports.uploadChunk(uploadId, offset, base64),
    uploadEnd: ({ uploadId }) => this.imports.uploadEnd(uploadId),
    listStrategies: () => listStrategies(this.dataDir),
    manualOrder: async ({ symbol, side, qty }) =>
      this.requireSession().manualOrder(symbol, side, qty),
    cancelOrder: async ({ orderId }) => this.requireSession().cancelOrder(orderId),
    sweepStart: (request) => this.sweeps.start(request),
    sweepCancel: ({ sweepId }) => this.sweeps.cancel(sweepId),
    sweepStatus: async () => this.sweeps.snapshot(),
  };

  /** One request: validated, dispatched, and refused with an ApiRequestError when wrong. */
  async handle(method: unknown, payload: unknown): Promise<unknown> {
    return this.dispatch(validateRequest(method, payload));
  }

  /** `handle` for a caller that names the request in the type system. */
  async request<K extends RequestName>(method: K, payload: Output<K>): Promise<Reply<K>> {
    // Validated by the schema that `method` names, so its handler's reply is Reply<K>.
    return (await this.handle(method, payload)) as Reply<K>;
  }

  /** The request names in the handler map, for the test that it covers the contract. */
  get requestNames(): string[] {
    return Object.keys(this.handlers);
  }

  async close(): Promise<void> {
    await this.sweeps.close();
    await this.checkpoints.reset();
    await this.closeSession();
    await this.imports.close();
  }

  private dispatch<K extends RequestName>({ name, request }: { name: K; request: Output<K> }) {
    return this.handlers[name](request);
  }

  private async appInfo(): Promise<AppInfo> {
    const given = this.options.defaultConfigFile;
    let defaultConfig: unknown = given ? await readJson(given) : null;
    let defaultConfigName: string | null =
      given && defaultConfig !== null && dirname(resolve(given)) === this.configs.dir
        ? basename(given)
        : null;
    if (defaultConfig === null) defaultConfig = await this.lastSession();
    if (defaultConfig === null) {
      try {
        defaultConfig = await this.configs.load('demo.json');
        defaultConfigName = 'demo.json';
      } catch {
        defaultConfig = null;
      }
    }
    return {
      name: this.options.name ?? 'Tapedeck',
      version: this.options.version ?? '0.0.0',
      host: this.options.host,
      dataDir: this.dataDir,
      defaultConfig,
      defaultConfigName,
    };
  }

  private startSession(
    request: Output<'startSession'>,
    restoring = false,
  ): Promise<SessionSnapshot> {
    // Two starts in a row: the second waits for the first, then replaces it.
    const run = this.starting.then(() => this.openSession(request, restoring));
    this.starting = run.catch(() => undefined);
    return run;
  }

  /** `restoring`: going back in the session now open, whose Log already has what comes again. */
  private async openSession(
    request: Output<'startSession'>,
    restoring: boolean,
  ): Promise<SessionSnapshot> {
    const parsed = parseSessionConfig(request.config);
    if (!parsed.ok) {
      throw new ApiRequestError(
        'The config has problems',
        parsed.problems.map((p) => p.message),
      );
    }
    // The new session is checked and opened before the old one goes, so a config whose data
    // is bad leaves the running session alone.
    let replay: ReplaySession;
    try {
      replay = await ReplaySession.open(parsed.config, {
        dataDir: this.dataDir,
        record: request.record === true,
        log: this.logs,
        notes: parsed.notes,
        restoring,
        onChange: (what) => this.changed(replay, what),
      });
    } catch (error) {
      const problems = error instanceof ApiRequestError ? (error.issues ?? []) : [];
      const lines = problems.length > 0 ? problems : [(error as Error).message];
      // One record per refusal: the caller shows the reasons where the user pressed Start.
      const more = lines.length > 50 ? ` (and ${lines.length - 50} more)` : '';
      this.logs.error(`Start refused: ${lines.slice(0, 50).join('; ')}${more}`);
      throw error;
    }
    if (!restoring) await this.checkpoints.reset();
    // Going back, the replay left behind closes while the restored one loads: the restore
    // does not wait for it.
    const left = this.detachSession();
    if (restoring) void left?.close().catch(() => undefined);
    else await left?.close();
    this.replay = replay;
    if (!restoring) {
      for (const note of parsed.notes) this.logs.info(note);
      this.logs.info(`Session ${parsed.config.session_name} opened.`);
    }
    const begun = replay.begin(request.startAt).then(
      () => null,
      (error: unknown) => error,
    );
    const failed = await begun;
    this.showReplay(replay);
    // A session that failed while loading stays current, so its snapshot shows the error.
    if (failed) throw failed;
    this.runningConfig = request.config;
    await this.rememberSession(request.config);
    this.followCheckpoint();
    return this.snapshot();
  }

  /** Changes of the replay on screen go out in frames; a spare's are nobody's business. */
  private changed(replay: ReplaySession, what: 'items' | 'state'): void {
    if (replay !== this.replay || !this.batcher) return;
    if (what === 'items') this.batcher.markDirty();
    else this.batcher.flush(true);
  }

  /** A replay now current gets a frame batcher pushing its changes. */
  private showReplay(replay: ReplaySession): void {
    const feed = new TradingFeed(replay.runner);
    feed.snapshot();
    this.batcher = new FrameBatcher(
      {
        trading: (withStats) => feed.next(withStats),
        sessionData: replay.session.sessionData,
        upkeep: replay.session.upkeep,
        symbols: replay.info.symbols,
        status: () => replay.status(),
        stats: () => statsSnapshot(replay.session, replay.info.symbols),
      },
      (update: SessionUpdate) => this.options.emit('sessionUpdate', update),
      this.options.frame,
    );
    this.watchRevisions(replay, this.batcher);
  }

  /** A spare replay of the running config, quiet, at `at`: a checkpoint to go back from. */
  private async openSpare(at: number): Promise<ReplaySession> {
    const parsed = parseSessionConfig(this.runningConfig);
    if (!parsed.ok) throw new ApiRequestError('The running config no longer parses');
    const self: { replay?: ReplaySession } = {};
    const replay = await ReplaySession.open(parsed.config, {
      dataDir: this.dataDir,
      log: this.logs,
      notes: parsed.notes,
      restoring: true,
      // Heard once the spare is adopted and shown.
      onChange: (what) => {
        if (self.replay) this.changed(self.replay, what);
      },
    });
    self.replay = replay;
    replay.setQuiet(true);
    try {
      await replay.begin(at);
    } catch (error) {
      await replay.close();
      throw error;
    }
    return replay;
  }

  /** While paused, a spare is kept at the checkpoint before the clock (in the background). */
  private followCheckpoint(): void {
    if (this.options.checkpoints === false) return;
    // A live session has no past to replay: a spare would open a second feed connection.
    if (this.replay?.isLive) return;
    const status = this.replay?.status();
    if (status?.state === 'paused' && status.clock !== null) this.checkpoints.follow(status.clock);
  }

  /** Going back from a spare: it replays from its checkpoint to `at`, then is shown. */
  private adopt(spare: ReplaySession, at: number, speed: number): Promise<SessionStatus> {
    const run = this.starting.then(async () => {
      const left = this.detachSession();
      this.replay = spare;
      await spare.seekForward(at);
      await spare.setSpeed(speed);
      spare.setQuiet(false);
      this.showReplay(spare);
      // Closed once the restored state is shown: the restore does not wait for it.
      void left?.close().catch(() => undefined);
      return spare.status();
    });
    this.starting = run.catch(() => undefined);
    return run;
  }

  /** Gap refills change history: the charts showing it hear which series to refetch. */
  private watchRevisions(replay: ReplaySession, batcher: FrameBatcher): void {
    const upkeep = replay.session.upkeep;
    if (!upkeep) return;
    upkeep.onDerivedBar((symbol, interval, bar, revised) => {
      if (revised) batcher.markRevised(symbol, interval, bar.start);
    });
    upkeep.onGap((gap) => {
      if (gap.filled > 0) batcher.markRevised(gap.symbol, gap.interval, gap.start);
    });
  }

  private async control({ action, symbol, at }: Output<'controlSession'>): Promise<SessionStatus> {
    const replay = this.requireSession();
    if (replay.state === 'loading') throw new ApiRequestError('The session is still loading');
    if (action === 'seek') {
      if (at === undefined) throw new ApiRequestError('seek needs "at": a UTC time in ms');
      return this.seekLatest(at);
    }
    if (action === 'step') await replay.step(symbol);
    else await replay[action]();
    if (action === 'pause' || action === 'step') this.followCheckpoint();
    // A state change has already flushed (onChange); a step keeps the state, so its bars go
    // out here, before the reply, rather than a frame later.
    if (action === 'step' && replay === this.replay) this.batcher?.flush(true);
    return replay.status();
  }

  /**
   * Seeks in quick succession (← held, a progress bar dragged) go to the latest target only:
   * a seek asked for while one runs replaces any still waiting, and every caller hears the
   * status of the last one. So N presses never queue N restores.
   */
  private seekLatest(at: number): Promise<SessionStatus> {
    this.seekWanted = at;
    this.seeking ??= this.seekLoop();
    return this.seeking;
  }

  private async seekLoop(): Promise<SessionStatus> {
    try {
      for (;;) {
        const at = this.seekWanted!;
        this.seekWanted = null;
        const status = await this.seek(this.requireSession(), at);
        // Checked and cleared with no await between: a target asked for now is not lost.
        if (this.seekWanted === null) {
          this.seeking = null;
          return status;
        }
      }
    } catch (error) {
      this.seekWanted = null;
      this.seeking = null;
      throw error;
    }
  }

  /**
   * Replay navigation. Forward: flat out to the time. Back: the session is opened afresh from
   * the config it runs and replayed flat out to the time, so the state there is exactly what
   * the first pass had (the replay is deterministic), with no look-ahead, and a replay onward
   * gives the same events again. The renderer resyncs from a snapshot after a seek.
   */
  private async seek(replay: ReplaySession, at: number): Promise<SessionStatus> {
    const clock = replay.status().clock;
    const config = this.runningConfig;
    if (clock !== null && at >= clock) {
      await replay.seekForward(at);
      if (replay === this.replay) this.batcher?.flush(true);
      this.followCheckpoint();
      return replay.status();
    }
    if (config === null) throw new ApiRequestError('No session config to replay from');
    const speed = replay.status().speed;
    const spare = await this.checkpoints.take(at);
    if (spare) {
      const status = await this.adopt(spare, at, speed);
      this.followCheckpoint();
      return status;
    }
    await this.startSession({ config, startAt: at }, true);
    const next = this.requireSession();
    await next.setSpeed(speed);
    this.followCheckpoint();
    return next.status();
  }

  private async setSpeed(speed: number): Promise<SessionStatus> {
    const replay = this.requireSession();
    await replay.setSpeed(speed);
    return replay.status();
  }

  private snapshot(): SessionSnapshot {
    const replay = this.replay;
    if (!replay) {
      return {
        info: null,
        status: IDLE,
        stats: [],
        queues: [],
        queueText: [],
        logs: this.logs.list(),
      };
    }
    const forming: NonNullable<SessionSnapshot['forming']> = {};
    for (const info of replay.info.symbols) {
      for (const interval of info.derivedIntervals) {
        const bar = replay.session.upkeep?.derivedOf(info.symbol, interval)?.forming;
        (forming[info.symbol] ??= {})[interval] = bar ? formingBar(bar) : null;
      }
    }
    return {
      info: replay.info,
      status: replay.status(),
      ...statsSnapshot(replay.session, replay.info.symbols),
      logs: this.logs.list(),
      forming,
      trading: new TradingFeed(replay.runner).snapshot(),
    };
  }

  private getBars({ symbol, interval }: Output<'getBars'>): BarColumns {
    const replay = this.requireSession();
    const info = replay.info.symbols.find((s) => s.symbol === symbol);
    if (!info) throw new ApiRequestError(`${symbol} is not in this session`);
    const derived = info.derivedIntervals.includes(interval);
    // Base bars, or derived ones the upkeep makes: held, or read back for released days.
    if (
      info.baseInterval === interval ||
      (derived && replay.session.upkeep?.derivedOf(symbol, interval))
    ) {
      const bars = barColumns(
        this.readHistory(() => replay.session.history.between(symbol, interval)),
      );
      // From now on the series' new bars are pushed, after those returned here.
      if (replay === this.replay) {
        this.batcher?.follow(symbol, interval, bars.time.at(-1) ?? Number.NEGATIVE_INFINITY);
      }
      return bars;
    }
    if (derived) return emptyBars(true);
    throw new ApiRequestError(
      `${symbol} has no ${interval} bars in this session` +
        (info.baseInterval
          ? ` (base ${info.baseInterval}; derived: ${info.derivedIntervals.join(', ') || 'none'})`
          : ' (no bar stream)'),
    );
  }

  private getTicks(symbol: string): TickColumns {
    const replay = this.requireSession();
    const data = replay.session.sessionData.getSymbolData(symbol);
    if (!data) throw new ApiRequestError(`${symbol} is not in this session`);
    return tickColumns(data.ticks);
  }

  private getQuotes(symbol: string): QuoteColumns {
    const replay = this.requireSession();
    const data = replay.session.sessionData.getSymbolData(symbol);
    if (!data) throw new ApiRequestError(`${symbol} is not in this session`);
    return quoteColumns(data.quotes);
  }

  private qualityStrip(symbol: string, known: number): QualityStrip {
    const replay = this.requireSession();
    const info = replay.info.symbols.find((s) => s.symbol === symbol);
    if (!info) throw new ApiRequestError(`${symbol} is not in this session`);
    const status = replay.status();
    const data = replay.session.sessionData.getSymbolData(symbol);
    if (!info.baseInterval || !data || status.clock === null) {
      return { symbol, offset: 0, final: 0, minutes: [], states: [] };
    }
    return this.readHistory(() =>
      replay.strips.of(symbol, info.baseInterval!, status.clock!, known),
    );
  }

  /** A history read: a store that cannot give a released day back fails this request only. */
  private readHistory<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof HistoryError) throw new ApiRequestError(error.message);
      throw error;
    }
  }

  private requireSession(): ReplaySession {
    if (!this.replay) throw new ApiRequestError('No session: start one first');
    return this.replay;
  }

  private async closeSession(): Promise<void> {
    await this.detachSession()?.close();
  }

  /** The session now open stops being shown (its frames stop); the caller closes it. */
  private detachSession(): ReplaySession | null {
    const replay = this.replay;
    this.batcher?.close();
    this.batcher = null;
    this.replay = null;
    return replay;
  }

  private async lastSession(): Promise<unknown> {
    const file = this.options.lastSessionFile;
    if (!file) return null;
    const saved = (await readJson(file)) as { config?: unknown } | null;
    return saved?.config ?? null;
  }

  private async rememberSession(config: unknown): Promise<void> {
    const file = this.options.lastSessionFile;
    if (!file) return;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify({ config }, null, 2)}\n`, 'utf8');
    } catch (error) {
      this.logs.warn(`Could not remember the session in ${file}: ${(error as Error).message}`);
    }
  }
}

/** A JSON file's value, or null when it is missing or unreadable (the next default applies). */
async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

function validate(config: unknown): ValidateConfigResponse {
  const result = parseSessionConfig(config);
  return result.ok
    ? { ok: true, problems: [], notes: result.notes }
    : { ok: false, problems: result.problems, notes: [] };
}
