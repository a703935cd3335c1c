/**
 * Spawns the browser-mode host the way a user does (`npm run web -- --port 0 --data <dir>`),
 * reads the URL it prints as its first stdout line, and stops it again.
 *
 * The host runs in its own process group, so stopping it ends npm, tsx and node together and
 * nothing is left listening after a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './build';

export interface WebHost {
  /** `http://127.0.0.1:PORT/?token=…`, as printed. */
  url: string;
  origin: string;
  token: string;
  /** Everything the host wrote so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface WebHostOptions {
  dataDir: string;
  config?: string;
  port?: number;
  /** How long to wait for the URL line (default 90 s: a cold tsx start on a busy machine). */
  startTimeoutMs?: number;
}

const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([^\s&]+)\s*$/;

export function parseHostUrl(line: string): { url: string; port: number; token: string } | null {
  const match = URL_LINE.exec(line.trim());
  if (!match) return null;
  return { url: line.trim(), port: Number(match[1]), token: decodeURIComponent(match[2]) };
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      resolve();
      return;
    }
    const pid = child.pid;
    const signal = (name: NodeJS.Signals): void => {
      try {
        process.kill(-pid, name);
      } catch {
        // Already gone.
      }
    };
    const force = setTimeout(() => signal('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      // Whatever npm left behind in the group, gone before this resolves: the host's node
      // process holds the port until it has died, which SIGKILL does not wait for.
      signal('SIGKILL');
      const until = Date.now() + 5_000;
      const gone = (): void => {
        try {
          process.kill(-pid, 0);
        } catch {
          resolve();
          return;
        }
        if (Date.now() > until) resolve();
        else setTimeout(gone, 10);
      };
      gone();
    });
    signal('SIGTERM');
  });
}

export function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const args = ['run', '-s', 'web', '--', '--port', String(options.port ?? 0)];
  args.push('--data', options.dataDir);
  if (options.config) args.push('--config', options.config);
  const child = spawn('npm', args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stdout = '';
  let stderr = '';
  const output = (): string => `stdout:\n${stdout}\nstderr:\n${stderr}`;

  return new Promise<WebHost>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 90_000;
    let settled = false;
    const fail = (why: string): void => {
      settled = true;
      clearTimeout(timer);
      void stopGroup(child).then(() =>
        reject(new Error(`npm run ${args.slice(2).join(' ')}: ${why}\n${output()}`)),
      );
    };
    const timer = setTimeout(() => fail(`no URL line within ${timeoutMs} ms`), timeoutMs);
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      if (settled || !stdout.includes('\n')) return;
      const first = stdout.slice(0, stdout.indexOf('\n'));
      const parsed = parseHostUrl(first);
      if (!parsed) {
        fail(`the first stdout line is not "http://127.0.0.1:PORT/?token=…": ${first}`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        url: parsed.url,
        origin: `http://127.0.0.1:${parsed.port}`,
        token: parsed.token,
        output,
        stop: () => stopGroup(child),
      });
    });
    child.once('error', (error) => fail(`could not spawn: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (!settled) {
        fail(`exited (${code ?? signal}) before printing its URL`);
      }
    });
  });
}
