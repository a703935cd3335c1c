/**
 * Browser uploads, streamed to disk: `begin` declares the name and size (refused at once when
 * over the cap, so nothing is buffered for a file that would be refused anyway), chunks arrive
 * in order and are appended to a file in a fresh temp folder, `end` checks the size. A finished
 * upload is handed to an import preview, which then owns its folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { MAX_UPLOAD_BYTES } from '../../shared/ipc-contract';
import { ApiRequestError } from './api-error';

/** Uploads begun and not yet previewed; the oldest are dropped past this. */
const MAX_OPEN_UPLOADS = 16;

interface Upload {
  name: string;
  size: number;
  received: number;
  dir: string;
  file: string;
  handle: FileHandle | null;
  ended: boolean;
  /** A chunk being written: the next waits for it, so chunks never interleave. */
  writing: Promise<void>;
}

export interface UploadStoreOptions {
  /** Where uploads are written (default: the OS temp dir). */
  stagingRoot?: string;
  /** The largest upload, and the most bytes all open uploads may declare together. */
  maxBytes?: number;
}

/** A finished upload: the file, and the folder to delete once the import is over. */
export interface UploadedFile {
  name: string;
  path: string;
  dir: string;
}

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly maxBytes: number;

  constructor(private readonly options: UploadStoreOptions = {}) {
    this.maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  }

  async begin(name: string, size: number): Promise<{ uploadId: string }> {
    if (basename(name) !== name || name.startsWith('.')) {
      throw new ApiRequestError(`Not a file name: ${JSON.stringify(name)}`);
    }
    if (size > this.maxBytes) throw tooLarge(name, this.maxBytes);
    await this.dropOldest();
    const waiting = [...this.uploads.values()].reduce((n, u) => n + u.size, 0);
    if (waiting + size > this.maxBytes) {
      throw new ApiRequestError(
        `${name}: the uploads waiting already add up to ${mb(waiting)} MB of the ${mb(this.maxBytes)} ` +
          'MB allowed; import or cancel them first',
      );
    }
    const dir = await mkdtemp(join(this.options.stagingRoot ?? tmpdir(), 'tapedeck-upload-'));
    const file = join(dir, name);
    const uploadId = randomBytes(12).toString('base64url');
    try {
      const handle = await open(file, 'wx');
      this.uploads.set(uploadId, {
        name,
        size,
        received: 0,
        dir,
        file,
        handle,
        ended: false,
        writing: Promise.resolve(),
      });
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return { uploadId };
  }

  async chunk(uploadId: string, offset: number, base64: string): Promise<{ received: number }> {
    const upload = this.get(uploadId);
    const write = upload.writing.then(async () => {
      if (upload.ended || !upload.handle) {
        throw new ApiRequestError(`${upload.name}: the upload is already finished`);
      }
      if (offset !== upload.received) {
        throw new ApiRequestError(
          `${upload.name}: chunk at byte ${offset}, expected byte ${upload.received}`,
        );
      }
      const bytes = Buffer.from(base64, 'base64');
      if (upload.received + bytes.length > upload.size) {
        await this.discard(uploadId);
        throw new ApiRequestError(
          `${upload.name}: more bytes than the ${upload.size} declared; the upload is dropped`,
        );
      }
      await upload.handle.write(bytes, 0, bytes.length, null);
      upload.received += bytes.length;
    });
    upload.writing = write.catch(() => undefined);
    await write;
    return { received: upload.received };
  }

  async end(uploadId: string): Promise<{ name: string; size: number }> {
    const upload = this.get(uploadId);
    await upload.writing;
    if (upload.received !== upload.size) {
      await this.discard(uploadId);
      throw new ApiRequestError(
        `${upload.name}: ${upload.received} of the ${upload.size} bytes declared arrived; ` +
          'the upload is dropped',
      );
    }
    await upload.handle?.close();
    upload.handle = null;
    upload.ended = true;
    return { name: upload.name, size: upload.size };
  }

  /** Hands a finished upload over: its folder is the caller's to delete from now on. */
  take(uploadId: string): UploadedFile {
    const upload = this.get(uploadId);
    if (!upload.ended) throw new ApiRequestError(`${upload.name}: the upload is not finished`);
    this.uploads.delete(uploadId);
    return { name: upload.name, path: upload.file, dir: upload.dir };
  }

  async close(): Promise<void> {
    for (const id of [...this.uploads.keys()]) await this.discard(id);
  }

  private get(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new ApiRequestError(`No upload ${uploadId}: begin it first`);
    return upload;
  }

  private async discard(uploadId: string): Promise<void> {
    const upload = this.uploads.get(uploadId);
    if (!upload) return;
    this.uploads.delete(uploadId);
    await upload.handle?.close().catch(() => undefined);
    upload.handle = null;
    await rm(upload.dir, { recursive: true, force: true });
  }

  private async dropOldest(): Promise<void> {
    const ids = [...this.uploads.keys()];
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_OPEN_UPLOADS + 1))) {
      await this.discard(id);
    }
  }
}

export function tooLarge(name: string, limit: number): ApiRequestError {
  return new ApiRequestError(
    `${name}: larger than the ${mb(limit)} MB an upload may be; ` +
      'import it from the desktop app or the command line instead',
  );
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
