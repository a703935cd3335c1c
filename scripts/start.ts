/**
 * `npm start`: the desktop app in development. Where Electron's binary is missing (its download
 * failed or was skipped, as on a server), say so and name the browser mode instead of letting
 * electron-vite fail with a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { findElectron } from '../e2e/support/electron-binary';

const ROOT = new URL('..', import.meta.url).pathname;

function main(): number {
  const electron = findElectron();
  if (!electron.found) {
    console.error(
      `Cannot start the desktop app: ${electron.reason}.\n` +
        'Run it in your browser instead: npm run -s web (it prints the URL to open).\n' +
        'Or fetch the Electron binary (node node_modules/electron/install.js, network needed), then npm start.',
    );
    return 1;
  }
  const steps: string[][] = [
    ['npm', 'run', '-s', 'demo-data', '--', '--if-missing'],
    ['npx', 'electron-vite', 'dev'],
  ];
  for (const [command, ...args] of steps) {
    const result = spawnSync(command!, args, { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

process.exitCode = main();
