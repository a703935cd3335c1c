/**
 * Recording a live session into the store. Every row a feed accepts is appended to its
 * stream's spool (stream-spool.ts), fsynced at least once a second; a roll seals the spools
 * and commits their rows into the parquet layout through the import commit (import-commit.ts),
 * so a recorded day is read, listed and replayed like an imported one.
 *
 *   <data>/recording/<SYMBOL>_<1s|1m|quotes|ticks>.spool            rows being recorded
 *   <data>/recording/<SYMBOL>_<tag>.<seal>.rolling                   sealed, being committed
 *
 * Crash safety follows from two rules. A roll's commit is all or nothing (staging, fsync,
 * manifest, rename), so the store never shows half a roll. A spool is deleted only after the
 * commit that holds its rows returned, so a crash at any point leaves the rows in a spool or
 * in the store or both; the next recording commits what it finds first, and since a re-commit
 * replaces rows with equal timestamps, rows found in both are kept once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BaseInterval } from '../../../shared/interval';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import type { StreamKey } from '../../../shared/stream-cursor';
import { commitImport, type CommitFaults } from '../import/import-commit';
import type { ImportChunk } from '../import/import-types';
import { readSpool, StreamSpool } from './stream-spool';

export interface RecordingOptions {
  /** The calendar whose dates cut the files; a round-the-clock feed's is 24x7 (UTC days). */
  calendar?: CalendarName;
  /** Test hooks of the commit. */
  faults?: CommitFaults;
}

export interface RollResult {
  /** Rows committed, per stream file tag (`BTCUSDT 1s`, `BTCUSDT quotes`). */
  rows: Record<string, number>;
  /** The UTC or exchange dates written. */
  days: string[];
}

const SPOOL = '.spool';
const ROLLING = '.rolling';

export function recordingDir(dataDir: string): string {
  return path.join(dataDir, 'recording');
}

export class LiveRecording {
  private readonly spools = new Map<string, StreamSpool>();
  private seal = 0;
  private closed = false;
  private rolling: Promise<RollResult> | null = null;

  private constructor(
    readonly dataDir: string,
    readonly dir: string,
    private readonly keys: readonly StreamKey[],
    private readonly options: RecordingOptions,
  ) {}

  /**
   * Commits whatever an earlier recording left in the spool directory (a crash, a failed
   * roll), then opens a spool per stream.
   */
  static async open(
    dataDir: string,
    keys: readonly StreamKey[],
    options: RecordingOptions = {},
  ): Promise<{ recording: LiveRecording; recovered: RollResult }> {
    const dir = recordingDir(dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const recording = new LiveRecording(dataDir, dir, keys, options);
    recording.sealLeftovers();
    const recovered = await recording.commitSealed();
    recording.openSpools();
    return { recording, recovered };
  }

  /** Where a stream's rows go; null for a stream the recording was not opened with. */
  spoolOf(key: StreamKey): StreamSpool | null {
    return this.spools.get(spoolTag(key)) ?? null;
  }

  /** Writes and fsyncs every spool: rows appended before this are durable. */
  flush(): void {
    for (const spool of this.spools.values()) spool.flush();
  }

  /**
   * Seals the spools (new rows go to fresh ones at once) and commits the sealed rows. Rows of a
   * failed commit stay sealed and are committed by the next roll.
   */
  async roll(): Promise<RollResult> {
    if (this.rolling) await this.rolling.catch(() => undefined);
    const run = (async () => {
      this.sealSpools(!this.closed);
      return this.commitSealed();
    })();
    this.rolling = run;
    try {
      return await run;
    } finally {
      if (this.rolling === run) this.rolling = null;
    }
  }

  /** The last roll: everything recorded goes to the store; no spool is left open. */
  async close(): Promise<RollResult> {
    this.closed = true;
    return this.roll();
  }

  private openSpools(): void {
    for (const key of this.keys) {
      const tag = spoolTag(key);
      this.spools.set(tag, new StreamSpool(key, path.join(this.dir, `${tag}${SPOOL}`)));
    }
  }

  /** Flushes every open spool and moves its rows aside under a fresh seal number. */
  private sealSpools(reopen: boolean): void {
    const stamp = `${Date.now()}-${this.seal++}`;
    for (const [tag, spool] of this.spools) {
      if (spool.open) spool.seal(path.join(this.dir, `${tag}.${stamp}${ROLLING}`), reopen);
    }
  }

  /** Spools an earlier process left open are sealed as they are. */
  private sealLeftovers(): void {
    const stamp = `${Date.now()}-recovered`;
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.endsWith(SPOOL)) continue;
      const tag = name.slice(0, -SPOOL.length);
      fs.renameSync(path.join(this.dir, name), path.join(this.dir, `${tag}.${stamp}${ROLLING}`));
    }
  }

  /** Commits every sealed spool in one all-or-nothing import, then deletes them. */
  private async commitSealed(): Promise<RollResult> {
    const sealed = fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith(ROLLING))
      .sort();
    const result: RollResult = { rows: {}, days: [] };
    if (sealed.length === 0) return result;
    const files = sealed.map((name) => path.join(this.dir, name));
    const calendar = this.options.calendar ?? '24x7';
    async function* chunks(): AsyncGenerator<ImportChunk> {
      for (const file of files) {
        const key = keyOfTag(path.basename(file).split('.')[0]!, file);
        yield* readSpool(file, key, calendar);
      }
    }
    const committed = await commitImport(chunks(), {
      dataDir: this.dataDir,
      to: 'parquet',
      files,
      ...(this.options.faults ? { faults: this.options.faults } : {}),
    });
    const days = new Set<string>();
    for (const stream of committed.streams) {
      const label = `${stream.symbol} ${stream.kind === 'bars' ? stream.interval : stream.kind}`;
      result.rows[label] = (result.rows[label] ?? 0) + stream.rows;
      for (const day of stream.tradingDays) days.add(day);
    }
    result.days = [...days].sort();
    for (const file of files) fs.rmSync(file, { force: true });
    return result;
  }
}

/** `BTCUSDT_1s`, `BTCUSDT_quotes`: the store's own file-name tags. */
export function spoolTag(key: StreamKey): string {
  return `${key.symbol}_${key.type === 'bars' ? key.interval : key.type}`;
}

function keyOfTag(tag: string, file: string): StreamKey {
  const cut = tag.lastIndexOf('_');
  const symbol = tag.slice(0, cut);
  const kind = tag.slice(cut + 1);
  if (kind === '1s' || kind === '1m') {
    return { symbol, type: 'bars', interval: kind satisfies BaseInterval };
  }
  if (kind === 'quotes' || kind === 'ticks') return { symbol, type: kind };
  throw new Error(`${file}: not a recording spool (unknown stream "${kind}" in its name)`);
}
