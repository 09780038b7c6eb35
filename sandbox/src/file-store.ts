import { randomInt } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { rm, readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, finished, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BodyError } from './body.js';

/** A file held by the sandbox, as the emulated services would keep it. */
export interface StoredFile {
  id: string;
  name: string;
  size: number;
  /** Where the bytes live on disk (inside the store's own temp dir). */
  path: string;
  contentType: string;
  createdAt: number;
  expiresAt: number;
}

export interface FileStoreOptions {
  /** How long a file is kept; both services keep files for 3 hours. */
  ttlMs?: number;
  /** Parent directory for the store's own temp dir (default: the OS temp dir). */
  dir?: string;
  /** Clock, in milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Length of generated ids (default 32, like ConvertAPI FileIds). */
  idLength?: number;
}

export interface PutOptions {
  contentType?: string;
  /** Use this id instead of a generated one; a file already stored under it is replaced. */
  id?: string;
}

export interface PutStreamOptions extends PutOptions {
  /** Rejects with `BodyError('too-large')` once the stream goes past this many bytes. */
  maxBytes?: number;
}

/** Thrown by `read` and `createReadStream` for an unknown, deleted or expired id. */
export class StoredFileNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No stored file with id "${id}"`);
    this.name = 'StoredFileNotFoundError';
  }
}

export const DEFAULT_FILE_TTL_MS = 3 * 60 * 60 * 1000;
const DEFAULT_ID_LENGTH = 32;
const MAX_SWEEP_INTERVAL_MS = 60_000;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * Generates a random lower-case alphanumeric id.
 * @param length number of characters
 */
export function randomId(length: number = DEFAULT_ID_LENGTH): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET.charAt(randomInt(ID_ALPHABET.length));
  return id;
}

/**
 * Files on disk in a private temp dir, each kept until its expiry.
 * Expired files are removed lazily on access and by a periodic, unref'd sweep.
 */
export class FileStore {
  readonly ttlMs: number;
  /** The store's own temp dir; removed by `close()`. */
  readonly dir: string;
  private readonly now: () => number;
  private readonly idLength: number;
  private readonly files = new Map<string, StoredFile>();
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;

  constructor(options: FileStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_FILE_TTL_MS;
    this.now = options.now ?? Date.now;
    this.idLength = options.idLength ?? DEFAULT_ID_LENGTH;
    const parent = options.dir ?? tmpdir();
    mkdirSync(parent, { recursive: true });
    this.dir = mkdtempSync(join(parent, 'convert-uploader-sandbox-'));
    this.sweepTimer = setInterval(
      () => {
        this.sweep();
      },
      Math.min(Math.max(this.ttlMs, 1000), MAX_SWEEP_INTERVAL_MS),
    );
    this.sweepTimer.unref();
  }

  /**
   * Stores a file from memory.
   * @param data the file's bytes
   * @param name the file name to keep (used for downloads and output names)
   */
  async putBuffer(data: Buffer | Uint8Array, name: string, options: PutOptions = {}): Promise<StoredFile> {
    const { id, path } = this.allocate(options.id);
    await writeFile(path, data);
    return this.register(id, path, name, data.byteLength, options.contentType);
  }

  /**
   * Stores a file by streaming it to disk, never holding it whole in memory.
   * Rejects with `BodyError('too-large')` past `maxBytes` and `BodyError('aborted')` when the
   * stream fails or ends prematurely; the partial file is removed in both cases.
   */
  async putStream(stream: Readable, name: string, options: PutStreamOptions = {}): Promise<StoredFile> {
    const { id, path } = this.allocate(options.id);
    const counter = new ByteCounter(options.maxBytes ?? Number.POSITIVE_INFINITY);
    // Piped by hand rather than through `pipeline`, which would destroy the source on failure: the
    // source is often a request whose socket must survive so that an error response can be sent.
    const stopWatchingSource = finished(stream, { writable: false }, (error) => {
      if (error) counter.destroy(new BodyError(`Upload aborted: ${error.message}`, 'aborted'));
    });
    stream.pipe(counter);
    const file = createWriteStream(path);
    try {
      await pipeline(counter, file);
    } catch (error) {
      stream.unpipe(counter);
      if (!stream.destroyed) {
        // Keep consuming so the sender is not stalled; the bytes are discarded.
        stream.on('error', () => undefined);
        stream.resume();
      }
      // The file may still be opening; removing it before it is closed would leave it behind.
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', resolve));
      await unlink(path).catch(() => undefined);
      throw error;
    } finally {
      stopWatchingSource();
    }
    return this.register(id, path, name, counter.bytes, options.contentType);
  }

  /** The file's record; `undefined` when it is unknown, deleted or expired. */
  get(id: string): StoredFile | undefined {
    const file = this.files.get(id);
    if (!file) return undefined;
    if (file.expiresAt <= this.now()) {
      this.forget(file);
      return undefined;
    }
    return file;
  }

  /** The file's bytes; throws `StoredFileNotFoundError` when it is not (or no longer) stored. */
  async read(id: string): Promise<Buffer> {
    return readFile(this.require(id).path);
  }

  /** A stream of the file's bytes; throws `StoredFileNotFoundError` when it is not (or no longer) stored. */
  createReadStream(id: string): Readable {
    return createReadStream(this.require(id).path);
  }

  /** Removes a file; resolves `false` when there was no such (unexpired) file. */
  async delete(id: string): Promise<boolean> {
    const file = this.get(id);
    if (!file) return false;
    this.files.delete(id);
    await unlink(file.path).catch(() => undefined);
    return true;
  }

  /** All unexpired files, oldest first. */
  list(): StoredFile[] {
    this.sweep();
    return [...this.files.values()];
  }

  /** Removes every file and the store's temp dir; the store cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.files.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Removes every expired file now. */
  sweep(): void {
    const now = this.now();
    for (const file of this.files.values()) if (file.expiresAt <= now) this.forget(file);
  }

  private allocate(requestedId: string | undefined): { id: string; path: string } {
    if (this.closed) throw new Error('FileStore is closed');
    if (requestedId !== undefined && !SAFE_ID.test(requestedId)) {
      throw new TypeError(`Unsafe file id "${requestedId}": use 1-128 of [A-Za-z0-9_-]`);
    }
    let id = requestedId ?? randomId(this.idLength);
    while (requestedId === undefined && this.files.has(id)) id = randomId(this.idLength);
    // A unique temp name per write, so a replaced file's readers keep their bytes.
    return { id, path: join(this.dir, `${id}.${randomId(8)}`) };
  }

  private register(id: string, path: string, name: string, size: number, contentType?: string): StoredFile {
    const previous = this.files.get(id);
    if (previous) this.forget(previous);
    const createdAt = this.now();
    const file: StoredFile = {
      id,
      name,
      size,
      path,
      contentType: contentType || DEFAULT_CONTENT_TYPE,
      createdAt,
      expiresAt: createdAt + this.ttlMs,
    };
    if (this.closed) {
      void unlink(path).catch(() => undefined);
      throw new Error('FileStore is closed');
    }
    this.files.set(id, file);
    return file;
  }

  private require(id: string): StoredFile {
    const file = this.get(id);
    if (!file) throw new StoredFileNotFoundError(id);
    return file;
  }

  private forget(file: StoredFile): void {
    if (this.files.get(file.id) === file) this.files.delete(file.id);
    void unlink(file.path).catch(() => undefined);
  }
}

/** Passes bytes through, counting them, and fails once they exceed the limit. */
class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new BodyError(`File exceeds the limit of ${this.maxBytes} bytes`, 'too-large'));
      return;
    }
    callback(null, chunk);
  }
}
