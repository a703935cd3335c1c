/**
 * Imports as the UI drives them: preview the files (staging uploaded bytes first), then commit
 * or cancel by import id, with progress pushed as events. The parsing and writing belong to
 * the import module (src/main/storage/import/); this file only holds the session of one
 * import and talks to that module through `ImportEngine`, so the wiring is one object.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep, isAbsolute } from 'node:path';
import {
  MAX_UPLOAD_BYTES,
  type ImportCommitResponse,
  type ImportFile,
  type ImportPreviewResponse,
  type UploadBeginResponse,
  type UploadEndResponse,
} from '../../shared/ipc-contract';
import type {
  CatalogEntry,
  ImportOptions,
  ImportPreview,
  ImportProgress,
  ImportResult,
  ImportTarget,
} from '../../shared/import-contract';
import { ApiRequestError } from './api-error';
import { tooLarge, UploadStore } from './upload-store';

export interface ImportRunContext {
  dataDir: string;
  signal: AbortSignal;
  onProgress: (progress: ImportProgress) => void;
}

/** What the service needs of the import and catalog modules. */
export interface ImportEngine {
  /** With `dataDir`, symbols the store has keep their calendar. */
  previewImport(
    files: string[],
    options: ImportOptions,
    dataDir?: string,
  ): Promise<ImportPreview[]>;
  runImport(
    files: string[],
    options: ImportOptions,
    to: ImportTarget,
    context: ImportRunContext,
  ): Promise<ImportResult>;
  catalog(dataDir: string): Promise<CatalogEntry[]>;
}

export { MAX_UPLOAD_BYTES };

/** Previewed imports kept waiting for a commit; older ones are forgotten. */
const MAX_PENDING_PREVIEWS = 8;

interface PendingImport {
  files: string[];
  /** Folders of uploaded files to delete when the import is over. */
  staging: string[];
  abort: AbortController | null;
}

/**
 * Which host paths a request may name. `any`: the caller vouches for them (the desktop's main
 * process passes only paths from its own dialogs and drops; the CLI, the user's own). `data-dir`:
 * only files inside the data directory (the browser host, where any local page could ask).
 */
export type PathPolicy = 'any' | 'data-dir';

export interface ImportBridgeOptions {
  dataDir: string;
  engine: ImportEngine;
  onProgress: (progress: ImportProgress & { importId: string }) => void;
  /** What the log pane should hear of: an import's outcome. */
  onLog?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Where uploads are staged (default: the OS temp dir). */
  stagingRoot?: string;
  /** Default MAX_UPLOAD_BYTES. */
  maxUploadBytes?: number;
  /** Default `any`. */
  pathPolicy?: PathPolicy;
}

export class ImportBridge {
  private readonly pending = new Map<string, PendingImport>();
  private readonly uploads: UploadStore;

  constructor(private readonly options: ImportBridgeOptions) {
    this.uploads = new UploadStore({
      ...(options.stagingRoot !== undefined ? { stagingRoot: options.stagingRoot } : {}),
      ...(options.maxUploadBytes !== undefined ? { maxBytes: options.maxUploadBytes } : {}),
    });
  }

  uploadBegin(name: string, size: number): Promise<UploadBeginResponse> {
    return this.uploads.begin(name, size);
  }

  uploadChunk(uploadId: string, offset: number, base64: string): Promise<{ received: number }> {
    return this.uploads.chunk(uploadId, offset, base64);
  }

  uploadEnd(uploadId: string): Promise<UploadEndResponse> {
    return this.uploads.end(uploadId);
  }

  async preview(files: ImportFile[], options: ImportOptions): Promise<ImportPreviewResponse> {
    const importId = randomBytes(9).toString('base64url');
    const { paths, staging } = await this.stage(files);
    try {
      const previews = await this.options.engine.previewImport(
        paths,
        options,
        this.options.dataDir,
      );
      this.pending.set(importId, { files: paths, staging, abort: null });
      await this.forgetAbandoned();
      return { importId, previews: previews.map((preview) => asUploaded(preview, staging)) };
    } catch (error) {
      await removeAll(staging);
      if (error instanceof ApiRequestError || !hasProblems(error)) throw error;
      // Every problem, each naming its file (row and field when known), for the preview pane.
      throw new ApiRequestError(
        'The files cannot be imported',
        problemsOf(error).map((problem) => withoutStaging(problem, staging)),
      );
    }
  }

  async commit(
    importId: string,
    options: ImportOptions,
    to: ImportTarget,
  ): Promise<ImportCommitResponse> {
    const job = this.pending.get(importId);
    if (!job) throw new ApiRequestError(`No import ${importId}: preview the files first`);
    if (job.abort) throw new ApiRequestError(`Import ${importId} is already running`);
    const abort = new AbortController();
    job.abort = abort;
    try {
      const result = await this.options.engine.runImport(job.files, options, to, {
        dataDir: this.options.dataDir,
        signal: abort.signal,
        onProgress: (progress) => this.options.onProgress({ ...progress, importId }),
      });
      const rows = result.streams.reduce((n, stream) => n + stream.rows, 0);
      const streams = result.streams.map((st) => `${st.symbol} ${st.interval ?? st.kind}`);
      this.options.onLog?.('info', `Imported ${rows} rows (${streams.join(', ')}) into ${to}.`);
      return { ok: true, result };
    } catch (error) {
      const problems = problemsOf(error);
      const cancelled = abort.signal.aborted;
      if (cancelled) this.options.onLog?.('warn', 'Import cancelled; nothing was written.');
      else for (const p of problems.slice(0, 20)) this.options.onLog?.('error', `Import: ${p}`);
      return { ok: false, cancelled, problems };
    } finally {
      await this.release(importId);
    }
  }

  /** Cancels a running import (it leaves nothing written), or forgets a previewed one. */
  async cancel(importId: string): Promise<void> {
    const job = this.pending.get(importId);
    if (!job) return;
    if (job.abort) job.abort.abort();
    else await this.release(importId);
  }

  catalog(): Promise<CatalogEntry[]> {
    return this.options.engine.catalog(this.options.dataDir);
  }

  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) {
      this.pending.get(id)?.abort?.abort();
      await this.release(id);
    }
    await this.uploads.close();
  }

  /** Previews never committed nor cancelled (a closed dialog) keep their uploads only so long. */
  private async forgetAbandoned(): Promise<void> {
    const idle = [...this.pending].filter(([, job]) => !job.abort).map(([id]) => id);
    for (const id of idle.slice(0, Math.max(0, idle.length - MAX_PENDING_PREVIEWS))) {
      await this.release(id);
    }
  }

  private async release(importId: string): Promise<void> {
    const job = this.pending.get(importId);
    this.pending.delete(importId);
    if (job) await removeAll(job.staging);
  }

  /**
   * Paths pass through when the policy allows them; uploaded bytes are written under a fresh
   * folder; finished chunked uploads are taken over with their folders.
   */
  private async stage(files: ImportFile[]): Promise<{ paths: string[]; staging: string[] }> {
    const paths: string[] = [];
    const staging: string[] = [];
    let inline: string | null = null;
    try {
      for (const file of files) {
        if ('path' in file) {
          paths.push(await this.allowedPath(file.path));
          continue;
        }
        if ('upload' in file) {
          const uploaded = this.uploads.take(file.upload);
          staging.push(uploaded.dir);
          if (paths.some((p) => basename(p) === uploaded.name)) {
            throw new ApiRequestError(`${uploaded.name}: uploaded twice`);
          }
          paths.push(uploaded.path);
          continue;
        }
        const name = basename(file.name);
        if (name !== file.name || name === '.' || name === '..' || name.startsWith('.')) {
          throw new ApiRequestError(`Not a file name: ${JSON.stringify(file.name)}`);
        }
        // base64 is 4 characters per 3 bytes: refuse before decoding anything too large.
        const limit = this.options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
        if (base64Bytes(file.base64) > limit) throw tooLarge(name, limit);
        if (inline === null) {
          inline = await mkdtemp(join(this.options.stagingRoot ?? tmpdir(), 'tapedeck-upload-'));
          staging.push(inline);
        }
        const path = join(inline, name);
        if (paths.includes(path)) throw new ApiRequestError(`${name}: uploaded twice`);
        await writeFile(path, Buffer.from(file.base64, 'base64'));
        paths.push(path);
      }
    } catch (error) {
      await removeAll(staging);
      throw error;
    }
    return { paths, staging };
  }

  /**
   * A path a request names, resolved; under the `data-dir` policy only a file inside the data
   * directory (symbolic links followed), and the refusal says nothing of whether it exists.
   */
  private async allowedPath(given: string): Promise<string> {
    const path = resolve(given);
    if ((this.options.pathPolicy ?? 'any') === 'any') return path;
    const refusal = new ApiRequestError(
      `${given}: the browser host imports uploaded files, or files inside its data directory`,
    );
    const root = await realpath(this.options.dataDir).catch(() => resolve(this.options.dataDir));
    const real = await realpath(resolve(root, given)).catch(() => null);
    if (real === null || !inside(root, real)) throw refusal;
    return real;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

async function removeAll(dirs: string[]): Promise<void> {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}

/** An uploaded file is shown by the name the user gave it, not by our staging path. */
function withoutStaging(text: string, staging: string[]): string {
  return staging.reduce((t, dir) => t.split(dir + sep).join(''), text);
}

function asUploaded(preview: ImportPreview, staging: string[]): ImportPreview {
  if (staging.length === 0) return preview;
  return {
    ...preview,
    file: withoutStaging(preview.file, staging),
    problems: preview.problems.map((p) => ({ ...p, file: withoutStaging(p.file, staging) })),
  };
}

/** The size base64 text decodes to, without decoding it. */
function base64Bytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

function hasProblems(error: unknown): boolean {
  const problems = (error as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems) && problems.length > 0;
}

function problemsOf(error: unknown): string[] {
  const problems = (error as { problems?: unknown }).problems;
  if (Array.isArray(problems) && problems.length > 0) {
    return problems.map((p) =>
      typeof p === 'string' ? p : typeof p?.message === 'string' ? formatProblem(p) : String(p),
    );
  }
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0) return issues.map(String);
  return [error instanceof Error ? error.message : String(error)];
}

function formatProblem(p: {
  file?: string;
  row?: number;
  field?: string;
  message: string;
}): string {
  const where = [p.file, p.row !== undefined ? `row ${p.row}` : null, p.field].filter(Boolean);
  return where.length > 0 ? `${where.join(', ')}: ${p.message}` : p.message;
}
