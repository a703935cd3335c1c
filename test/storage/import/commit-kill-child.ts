/**
 * An import that stops at a chosen point and waits to be killed (SIGKILL: no cleanup runs):
 * `tsx commit-kill-child.ts <dataDir> <to> <reading|manifest|renamed-one>`. Prints "ready"
 * when it is there.
 */
import { commitImport } from '../../../src/main/storage/import/import-commit';
import { iterate, killedImportChunks as overlapping } from './commit-helpers';
import type { ImportTarget } from '../../../src/shared/import-contract';

const [dataDir, to, point] = process.argv.slice(2) as [string, ImportTarget, string];

const hang = (): never => {
  process.stdout.write('ready\n');
  // Block the thread: nothing after this point may run before the kill. Should the kill never
  // come (the test died), give up after 30 s without cleaning anything, as a kill would.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 30; i++) Atomics.wait(cell, 0, 0, 1000);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

async function* chunks() {
  yield* iterate(overlapping());
  if (point === 'reading') hang();
}

void commitImport(chunks(), {
  dataDir,
  to,
  faults: {
    beforeRename: (index) => {
      if (point === 'manifest' && index === 0) hang();
      if (point === 'renamed-one' && index === 1) hang();
    },
  },
}).then(() => process.stdout.write('done\n'));
