/**
 * A migration killed mid-way: runs migrateLayout on `dataDir` and SIGKILLs itself before the
 * `index`th link (phase "link") or the `index`th removal of an old name (phase "remove"), so no
 * cleanup code runs, as in a power cut or an OOM kill.
 */
import { migrateLayout } from '../../src/main/storage/migration/layout-migration';

const [dataDir, phase, indexText] = process.argv.slice(2);
const index = Number(indexText);
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
await migrateLayout(dataDir!, {
  faults: {
    beforeLink: (i) => (phase === 'link' && i === index ? die() : undefined),
    beforeRemove: (i) => (phase === 'remove' && i === index ? die() : undefined),
  },
});
process.stdout.write('finished\n');
