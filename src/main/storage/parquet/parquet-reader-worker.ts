/**
 * The parquet reader worker's entry (built as out/main/parquet-reader-worker.js; run from
 * source through tsx otherwise). See reader-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { runReaderWorker } from './reader-worker';

if (!parentPort) throw new Error('parquet-reader-worker must run as a worker thread');
runReaderWorker(parentPort);
