/**
 * One competitor in the import-lock race: takes the lock `rounds` times, proving each hold by
 * creating a marker file exclusively (a second holder would find it there). Now and then it
 * "dies" holding the lock: the lock is left naming a dead process, for the others to take over.
 * Prints one JSON line: acquisitions, double holds seen, busy refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  acquireImportLock,
  ImportBusyError,
  LOCK_FILE,
} from '../../src/main/storage/import/import-lock';

const [dataDir, roundsText, deadPidText, seedText] = process.argv.slice(2);
const rounds = Number(roundsText);
const deadPid = Number(deadPidText);
let seed = Number(seedText);
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const marker = path.join(dataDir!, 'holder');
let acquired = 0;
let doubles = 0;
let busy = 0;
while (acquired < rounds) {
  let lock;
  try {
    lock = acquireImportLock(dataDir!);
  } catch (error) {
    if (!(error instanceof ImportBusyError)) throw error;
    busy++;
    continue;
  }
  acquired++;
  try {
    fs.writeFileSync(marker, String(process.pid), { flag: 'wx' });
  } catch {
    doubles++;
    lock.release();
    continue;
  }
  fs.rmSync(marker);
  if (random() < 0.01) {
    // Dies holding it: the lock now names a process that is gone.
    fs.writeFileSync(path.join(dataDir!, LOCK_FILE), String(deadPid));
    continue;
  }
  lock.release();
}
process.stdout.write(`${JSON.stringify({ acquired, doubles, busy })}\n`);
