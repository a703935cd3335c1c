/**
 * The `--events` file: one row per item the coordinator emits, in emitted order. Its columns
 * and formats are a contract (issue 2), so they are fixed here and nowhere else.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { KIND_BAR, KIND_QUOTE, type EventBatch, type StreamInfo } from '../engine/event-batch';
import { IsoFormatter } from './iso-formatter';

export const EVENT_CSV_HEADER =
  'seq,type,symbol,interval,timestamp,available_at,clock,open,high,low,close,volume,' +
  'bid,ask,bid_size,ask_size,price,size';

const TYPE_NAME = ['bar', 'quote', 'tick'] as const;
/** Empty cells before a kind's values, and after them, so each lands in its own columns. */
const LEAD = ['', ',,,,,', ',,,,,,,,,'] as const;
const TRAIL = [',,,,,,', ',,', ''] as const;

export class EventCsvWriter {
  private readonly fd: number;
  private readonly iso = new IsoFormatter();

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, `${EVENT_CSV_HEADER}\n`);
  }

  /** A batch consumer: formats and writes the batch before the coordinator reuses it. */
  readonly write = (batch: EventBatch, streams: readonly StreamInfo[]): void => {
    const iso = this.iso;
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      const kind = batch.kind[i]!;
      const info = streams[batch.stream[i]!]!;
      const fields = kind === KIND_BAR ? 5 : kind === KIND_QUOTE ? 4 : 2;
      let values = '';
      for (let j = 0; j < fields; j++) values += `,${formatNumber(batch.value(j, i))}`;
      text +=
        `${batch.firstSeq + i},${TYPE_NAME[kind]},${info.symbol},${info.interval ?? ''},` +
        `${iso.format(batch.timestamp[i]!)},${iso.format(batch.available[i]!)},` +
        `${iso.format(batch.clock[i]!)}${LEAD[kind]}${values}${TRAIL[kind]}\n`;
    }
    writeSync(this.fd, text);
  };

  close(): void {
    closeSync(this.fd);
  }
}

/** JavaScript's shortest round-trip form, so every number reads back exactly. */
function formatNumber(n: number): string {
  return String(n);
}
