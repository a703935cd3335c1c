/**
 * The desktop build's sweep worker process (built as out/main/sweep-worker.js): Electron's
 * binary run as Node, so it loads the Electron-ABI better-sqlite3 like the engine worker does,
 * from the root the engine worker hands down in its environment.
 */
import { setNativeRoot } from '../storage/sqlite/native-binding';

const root = process.env.TAPEDECK_NATIVE_ROOT;
if (root) setNativeRoot(root);
await import('../sweep/sweep-process');
