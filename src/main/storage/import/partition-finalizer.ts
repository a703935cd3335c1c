/**
 * Turns spooled partitions into staged parquet parts, as early as is safe.
 *
 * A reader yields each stream in time order, so once a stream's rows move on to a later
 * trading date, its earlier dates are usually complete. Such a partition is SEALED at once —
 * merged and written as its staged part — when no stored file exists for it (nothing to merge
 * with, so every row in the part is an imported one). Memory then holds about one trading day
 * per stream, and nothing is spilled or read twice. Should rows for a sealed date arrive after
 * all (a second file in the same import, or unsorted input), the part is read back into the
 * spool, its counts are taken back, and it is merged again at the end: the result is the same
 * as if it had never been sealed. Partitions with a stored file are merged with it at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BaseInterval } from '../../../shared/interval';
import type { StreamType } from '../../../shared/stream-types';
import { calendarFor } from '../../../shared/market/calendars';
import { tradingDayStart } from '../../../shared/market/zoned-time';
import { CALENDAR_KEY, readRecordedCalendar } from '../catalog/partition-calendar';
import { encodeMinuteProfile, MINUTE_PROFILE_KEY } from '../catalog/minute-profile';
import { listStreamFiles, streamFilePath, streamKey } from '../parquet/parquet-layout';
import { readExistingPartition, samePartition } from './existing-partition';
import { ImportError } from './import-types';
import { mergePartition } from './partition-merge';
import {
  partitionId,
  type PartitionKey,
  type PartitionRows,
  type PartitionSpool,
} from './partition-spool';
import { writeStagedParquet } from '../parquet/parquet-writer';
import { streamId } from './sqlite-commit';
import type { Staging } from './staging';

export interface StreamTally {
  symbol: string;
  kind: StreamType;
  interval?: BaseInterval;
  rows: number;
  replaced: number;
  duplicatesDropped: number;
  days: Set<string>;
}

interface Sealed {
  part: string;
  imported: number;
  duplicatesDropped: number;
}

export interface FinalizerHooks {
  /** Called before each partition is merged and written (test hook for injected failures). */
  beforePartition?(index: number): void;
  throwIfAborted(): void;
}

export class PartitionFinalizer {
  private readonly sealed = new Map<string, Sealed>();
  private readonly stored = new Map<string, boolean>();
  private readonly latest = new Map<string, string>();
  /** Streams whose stored files' calendar has been compared with the import's. */
  private readonly checked = new Set<string>();
  private written = 0;

  constructor(
    private readonly dataDir: string,
    private readonly spool: PartitionSpool,
    private readonly staging: Staging,
    private readonly tallies: Map<string, StreamTally>,
    private readonly hooks: FinalizerHooks,
  ) {}

  /** Call before appending rows of `key`: re-opens it if sealed, seals what the stream left behind. */
  async arriving(key: PartitionKey): Promise<void> {
    const id = partitionId(key);
    const sealed = this.sealed.get(id);
    if (sealed) await this.reopen(key, id, sealed);
    const stream = streamId(key.symbol, key.kind, key.interval);
    if (!this.checked.has(stream)) {
      await this.checkStoredCalendar(key);
      this.checked.add(stream);
    }
    const latest = this.latest.get(stream);
    if (latest !== undefined && key.date <= latest) return;
    this.latest.set(stream, key.date);
    if (latest === undefined) return;
    for (const other of this.spool.keys()) {
      if (other.date >= key.date || streamId(other.symbol, other.kind, other.interval) !== stream) {
        continue;
      }
      if (!this.hasStoredFile(other)) this.seal(other);
    }
  }

  /** Merges every partition still spooled with its stored file and writes it; `onPartition` reports. */
  async finish(onPartition: (done: number, total: number) => void): Promise<void> {
    const keys = this.spool.keys();
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index];
      const target = this.targetOf(key);
      const existing = this.hasStoredFile(key)
        ? await readExistingPartition(target, key.kind, key.date)
        : null;
      this.write(key, this.spool.take(key), existing);
      onPartition(index + 1, keys.length);
    }
  }

  private seal(key: PartitionKey): void {
    const result = this.write(key, this.spool.take(key), null);
    if (result) this.sealed.set(partitionId(key), result);
  }

  private async reopen(key: PartitionKey, id: string, sealed: Sealed): Promise<void> {
    const rows = await readExistingPartition(sealed.part, key.kind, key.date);
    if (rows) this.spool.append(key, rows.timestamp, rows.values, 0, rows.length);
    this.staging.removePart(sealed.part);
    const tally = this.tallyOf(key);
    tally.rows -= sealed.imported;
    tally.duplicatesDropped -= sealed.duplicatesDropped;
    this.sealed.delete(id);
  }

  private write(
    key: PartitionKey,
    rows: PartitionRows,
    existing: PartitionRows | null,
  ): Sealed | null {
    this.hooks.throwIfAborted();
    this.hooks.beforePartition?.(this.written++);
    const merged = mergePartition(key.kind, rows, existing);
    const tally = this.tallyOf(key);
    tally.rows += merged.imported;
    tally.replaced += merged.replaced;
    tally.duplicatesDropped += merged.duplicatesDropped;
    // An unchanged partition is not rewritten: a repeated import leaves its file untouched.
    if (existing && samePartition(merged.rows, existing)) return null;
    const part = this.staging.addPart(this.targetOf(key));
    const calendar = key.calendar ?? 'XNYS';
    const dayStart = tradingDayStart(calendarFor(calendar), key.date);
    writeStagedParquet(part, key.kind, merged.rows, {
      [MINUTE_PROFILE_KEY]: encodeMinuteProfile(
        merged.rows.timestamp,
        merged.rows.length,
        dayStart,
      ),
      // Absent means XNYS, which keeps such files byte-identical to those written before
      // calendars.
      ...(calendar === 'XNYS' ? {} : { [CALENDAR_KEY]: calendar }),
    });
    return { part, imported: merged.imported, duplicatesDropped: merged.duplicatesDropped };
  }

  /**
   * A stream's files are all cut by one calendar's dates: rows dated by New York in one file
   * and by UTC in the next would overlap. So an import on another calendar than the stored
   * files' is refused, naming a file and the way out.
   */
  private async checkStoredCalendar(key: PartitionKey): Promise<void> {
    const files = await listStreamFiles(
      path.resolve(this.dataDir),
      streamKey({ symbol: key.symbol, type: key.kind, interval: key.interval }),
    );
    const stored = files.filter((f) => !f.notAFile).at(-1);
    if (!stored) return;
    const wanted = key.calendar ?? 'XNYS';
    let recorded: string;
    try {
      recorded = await readRecordedCalendar(stored.path);
    } catch {
      // An unreadable stored file is the merge's or the catalog's to report, not this check's.
      return;
    }
    if (recorded === wanted) return;
    const what = key.kind === 'bars' ? `${key.interval} bars` : key.kind;
    throw new ImportError([
      {
        file: stored.path,
        message:
          `${key.symbol} ${what} are stored by ${recorded} trading dates, but this import dates ` +
          `them by ${wanted}: import with --calendar ${recorded}, or remove the stored ` +
          `${key.symbol} ${what} files first to re-date them`,
      },
    ]);
  }

  private hasStoredFile(key: PartitionKey): boolean {
    const id = partitionId(key);
    let stored = this.stored.get(id);
    if (stored === undefined) {
      stored = fs.existsSync(this.targetOf(key));
      this.stored.set(id, stored);
    }
    return stored;
  }

  private targetOf(key: PartitionKey): string {
    return streamFilePath(
      path.resolve(this.dataDir),
      streamKey({ symbol: key.symbol, type: key.kind, interval: key.interval }),
      key.date,
    );
  }

  private tallyOf(key: PartitionKey): StreamTally {
    return this.tallies.get(streamId(key.symbol, key.kind, key.interval))!;
  }
}
