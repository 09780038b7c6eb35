import { inputFormatOf } from '../contract/file-name.js';
import type { FileDescription, ProviderName } from '../contract/token-request.js';
import type { UploadItem, UploadStatus } from './types.js';
import type { ConversionResult, ProviderAdapter, WorkPhase } from './provider-port.js';
import type { CredentialLease, CredentialRequest, CredentialSource } from './credential-source.js';
import { ConvertError, toConvertError, unsupportedConversion } from './errors.js';
import { canMove, isPending, isSettled, isWorking } from './status.js';

export interface QueueSettings {
  provider: ProviderName;
  to: string;
  concurrency: number;
  parameters: Readonly<Record<string, unknown>>;
  /** Input format of files whose names have no extension (see `inputFormatOf`). */
  from?: string;
  /** Check the service's catalogue before uploading (costs one catalogue request per input format). */
  checkCatalogue?: boolean;
}

export interface QueueCallbacks {
  /** Any item changed: its status, progress, results or error. */
  onChange(): void;
  onProgress(item: UploadItem, phase: 'upload' | 'convert', progress: number | null): void;
  onSuccess(item: UploadItem, results: readonly ConversionResult[]): void;
  onError(item: UploadItem, error: ConvertError): void;
  /** The queue drained after work: how many of its files are done, failed and canceled. */
  onComplete(summary: { succeeded: number; failed: number; canceled: number }): void;
}

interface Entry {
  id: string;
  file: File;
  status: UploadStatus;
  uploadProgress: number;
  convertProgress: number | null;
  results: readonly ConversionResult[] | undefined;
  error: ConvertError | undefined;
  controller: AbortController | undefined;
  from: string;
  to: string;
  /** Set once the entry's credential is in hand, so later batch requests leave it out. */
  credentialTaken: boolean;
  /** The files started together: they share one token endpoint call (and one CloudConvert job). */
  batch: Batch | undefined;
  /** What the provider left for converting this file again without uploading it again. */
  reuse: unknown;
  /** A conversion again (`reconvert`) keeps its own output format; others follow the element's. */
  ownTarget: boolean;
}

interface Batch {
  id: string;
  entries: Entry[];
}

/** The state of an entry about to (re)start: nothing done, nothing held. */
const unstarted = {
  status: 'queued',
  uploadProgress: 0,
  convertProgress: null,
  results: undefined,
  error: undefined,
  controller: undefined,
  credentialTaken: false,
  batch: undefined,
} as const;

/**
 * Whether an entry is at work: started (it holds a controller from the first moment, while it is
 * still `queued` until its provider reports a phase) or in an active phase.
 */
const isAtWork = (entry: Entry) => entry.controller !== undefined || isWorking(entry.status);

let entryCounter = 0;
let batchCounter = 0;

/** The file as the token endpoint sees it, with any fields its reuse handle adds (see `onReusable`). */
function describe(entry: Entry): FileDescription {
  const { file, reuse } = entry;
  const extra = (reuse as { tokenFields?: Partial<FileDescription> } | undefined)?.tokenFields;
  return { ...extra, name: file.name, size: file.size, type: file.type };
}

/**
 * Moves an entry to `status` when the status table allows it (status.ts); returns whether it moved. A late
 * report (a phase after the file was canceled, a progress event after it settled) changes nothing.
 */
function move(entry: Entry, status: UploadStatus): boolean {
  if (!canMove(entry.status, status)) return false;
  entry.status = status;
  return true;
}

/**
 * The files of one element and their statuses (`queued`, then the provider's phases — `authorizing`,
 * `uploading`, `converting`, in the order its service needs — then `done`, `error` or `canceled`; see
 * status.ts), at most `concurrency` at work, each file independent of the others' failures.
 */
export class UploadQueue {
  readonly #entries: Entry[] = [];
  readonly #callbacks: QueueCallbacks;
  readonly #credentials: () => CredentialSource;
  readonly #adapter: () => ProviderAdapter;
  readonly #settings: () => QueueSettings;
  readonly #messageFor: (error: ConvertError) => string;
  /** Each entry's last snapshot, and the error it was made from. */
  #snapshots = new WeakMap<Entry, { item: UploadItem; error: ConvertError | undefined }>();
  #roundHadWork = false;

  constructor(options: {
    callbacks: QueueCallbacks;
    credentials: () => CredentialSource;
    adapter: () => ProviderAdapter;
    settings: () => QueueSettings;
    /** The visitor-facing message for an error (the element's translated strings). */
    messageFor: (error: ConvertError) => string;
  }) {
    this.#messageFor = options.messageFor;
    this.#callbacks = options.callbacks;
    this.#credentials = options.credentials;
    this.#adapter = options.adapter;
    this.#settings = options.settings;
  }

  /** Snapshots of every item, in the order they were added. */
  get items(): UploadItem[] {
    return this.#entries.map((entry) => this.#snapshot(entry));
  }

  add(files: readonly File[]): UploadItem[] {
    const settings = this.#settings();
    const added = files.map((file): Entry => {
      entryCounter += 1;
      return {
        ...unstarted,
        id: `file-${entryCounter}`,
        file,
        from: inputFormatOf(file.name, settings.from),
        to: settings.to,
        reuse: undefined,
        ownTarget: false,
      };
    });
    this.#entries.push(...added);
    this.#callbacks.onChange();
    return added.map((entry) => this.#snapshot(entry));
  }

  /**
   * Queues another conversion of a converted file to `to`, reusing what the service kept of it
   * (ConvertAPI: the upload) so that it is not uploaded again.
   */
  reconvert(id: string, to: string): UploadItem | undefined {
    const source = this.#entries.find((entry) => entry.id === id);
    if (!source || source.status !== 'done' || !source.reuse) return undefined;
    entryCounter += 1;
    const entry: Entry = { ...source, ...unstarted, id: `file-${entryCounter}`, to, ownTarget: true };
    this.#entries.splice(this.#entries.indexOf(source) + 1, 0, entry);
    this.#callbacks.onChange();
    return this.#snapshot(entry);
  }

  /** Whether a converted file can be converted again without a second upload. */
  canReconvert(id: string): boolean {
    const entry = this.#entries.find((candidate) => candidate.id === id);
    return entry?.status === 'done' && entry.reuse !== undefined;
  }

  /** Changes the output format of files that have not started yet. */
  retarget(to: string): void {
    for (const entry of this.#entries) if (entry.status === 'queued' && !entry.batch) entry.to = to;
    this.#callbacks.onChange();
  }

  /** Fails a file that has not started, for a reason found before any upload (an unsupported format). */
  refuse(id: string, error: ConvertError): void {
    const entry = this.#entries.find((candidate) => candidate.id === id);
    if (entry?.status !== 'queued' || !move(entry, 'error')) return;
    entry.error = error;
    this.#callbacks.onError(this.#snapshot(entry), error);
    this.#callbacks.onChange();
  }

  /** Starts queued files, up to the concurrency limit; the files waiting now form one batch. */
  start(): void {
    const unbatched = this.#entries.filter((entry) => entry.status === 'queued' && !entry.batch);
    if (unbatched.length > 0) {
      batchCounter += 1;
      const batch: Batch = { id: `batch-${batchCounter}`, entries: unbatched };
      for (const entry of unbatched) entry.batch = batch;
    }
    const settings = this.#settings();
    const limit = Math.max(1, Math.floor(settings.concurrency) || 1);
    let running = this.#entries.filter(isAtWork).length;
    for (const entry of this.#entries) {
      if (running >= limit) break;
      if (entry.status !== 'queued' || isAtWork(entry)) continue;
      running += 1;
      this.#roundHadWork = true;
      void this.#run(entry);
    }
  }

  cancel(id?: string): void {
    for (const entry of this.#select(id)) {
      if (isPending(entry.status) && move(entry, 'canceled')) {
        entry.controller?.abort(new DOMException('Canceled', 'AbortError'));
      }
    }
    this.#callbacks.onChange();
    this.#afterSettling();
  }

  retry(id?: string): void {
    for (const entry of this.#select(id)) {
      if (entry.status === 'queued' || !move(entry, 'queued')) continue;
      Object.assign(entry, unstarted, { to: entry.ownTarget ? entry.to : this.#settings().to });
    }
    this.#callbacks.onChange();
    this.start();
  }

  remove(id: string): void {
    const index = this.#entries.findIndex((entry) => entry.id === id);
    const [entry] = index >= 0 ? this.#entries.splice(index, 1) : [];
    entry?.controller?.abort(new DOMException('Removed', 'AbortError'));
    this.#callbacks.onChange();
    this.#afterSettling();
  }

  clear(): void {
    for (const entry of this.#entries) entry.controller?.abort(new DOMException('Cleared', 'AbortError'));
    this.#entries.length = 0;
    this.#roundHadWork = false;
    this.#callbacks.onChange();
  }

  #select(id: string | undefined): Entry[] {
    return id === undefined ? [...this.#entries] : this.#entries.filter((entry) => entry.id === id);
  }

  /**
   * What `entry` asks the credential source for: every file of its batch that will still need a
   * credential, in batch order (a server job's task chains follow it), `entry` among them, so that
   * one endpoint call can cover them all. `from` is `entry`'s format; the others' names say theirs.
   */
  #credentialRequest(entry: Entry, batch: Batch): CredentialRequest {
    const members = batch.entries.filter(
      (other) => other === entry || (!other.credentialTaken && isPending(other.status)),
    );
    return {
      body: {
        provider: this.#settings().provider,
        from: entry.from,
        to: entry.to,
        files: members.map(describe),
      },
      keys: members.map((member) => member.id),
      asker: entry.id,
      batchId: batch.id,
    };
  }

  async #run(entry: Entry): Promise<void> {
    const controller = new AbortController();
    entry.controller = controller;
    const isCurrent = () => entry.controller === controller && !controller.signal.aborted;
    const settings = this.#settings();
    const batch = entry.batch ?? { id: `single-${entry.id}`, entries: [entry] };
    try {
      if (!entry.to) throw new ConvertError('conversion-unsupported', 'No output format is set (`to`).');
      if (!entry.from) {
        throw new ConvertError(
          'conversion-unsupported',
          `"${entry.file.name}" has no extension to convert from.`,
        );
      }
      const adapter = this.#adapter();
      const targets = settings.checkCatalogue
        ? await adapter.targets?.(entry.from, controller.signal)
        : undefined;
      if (targets && !targets.includes(entry.to)) throw unsupportedConversion(entry.from, entry.to);
      const results = await adapter.convert({
        file: entry.file,
        from: entry.from,
        to: entry.to,
        parameters: settings.parameters,
        signal: controller.signal,
        batch: {
          id: batch.id,
          files: batch.entries.map((member) => ({ name: member.file.name, inputFormat: member.from })),
          index: batch.entries.indexOf(entry),
        },
        reuse: entry.reuse,
        onReusable: (handle) => {
          entry.reuse = handle;
        },
        acquireCredential: async (): Promise<CredentialLease> => {
          const lease = await this.#credentials().acquire(
            this.#credentialRequest(entry, batch),
            controller.signal,
          );
          entry.credentialTaken = true;
          return lease;
        },
        onPhase: (phase: WorkPhase) => {
          if (isCurrent() && move(entry, phase)) this.#callbacks.onChange();
        },
        onUploadProgress: (fraction) => {
          if (!isCurrent() || fraction <= entry.uploadProgress) return;
          entry.uploadProgress = fraction;
          this.#callbacks.onProgress(this.#snapshot(entry), 'upload', fraction);
        },
        onConvertProgress: (fraction) => {
          if (
            !isCurrent() ||
            (fraction !== null && entry.convertProgress !== null && fraction <= entry.convertProgress)
          ) {
            return;
          }
          entry.convertProgress = fraction;
          this.#callbacks.onProgress(this.#snapshot(entry), 'convert', fraction);
        },
      });
      if (!isCurrent() || !move(entry, 'done')) return;
      entry.results = results;
      entry.uploadProgress = 1;
      if (entry.convertProgress !== null) entry.convertProgress = 1;
      this.#callbacks.onSuccess(this.#snapshot(entry), results);
    } catch (thrown) {
      const error = toConvertError(thrown);
      if (!isCurrent() || !move(entry, error.code === 'canceled' ? 'canceled' : 'error')) return;
      entry.error = error;
      // A reuse that failed (an export gone, an endpoint refusing the import) is not tried again:
      // Retry uploads the file, which the entry still holds.
      if (error.code !== 'canceled') entry.reuse = undefined;
      if (error.code !== 'canceled') this.#callbacks.onError(this.#snapshot(entry), error);
    } finally {
      if (entry.controller === controller) entry.controller = undefined;
      this.#callbacks.onChange();
      this.start();
      this.#afterSettling();
    }
  }

  #afterSettling(): void {
    if (!this.#roundHadWork) return;
    if (!this.#entries.every((entry) => isSettled(entry.status))) return;
    this.#roundHadWork = false;
    const count = (status: UploadStatus) => this.#entries.filter((entry) => entry.status === status).length;
    this.#callbacks.onComplete({
      succeeded: count('done'),
      failed: count('error'),
      canceled: count('canceled'),
    });
  }

  /** Makes every snapshot anew (their messages are in the element's language, which changed). */
  refreshMessages(): void {
    this.#snapshots = new WeakMap();
    this.#callbacks.onChange();
  }

  /** The entry as the page sees it; the same object for as long as the entry has not changed. */
  #snapshot(entry: Entry): UploadItem {
    const cached = this.#snapshots.get(entry);
    if (
      cached?.item.status === entry.status &&
      cached.item.uploadProgress === entry.uploadProgress &&
      cached.item.convertProgress === entry.convertProgress &&
      cached.item.results === entry.results &&
      cached.error === entry.error
    ) {
      return cached.item;
    }
    const item = snapshot(entry, this.#messageFor);
    this.#snapshots.set(entry, { item, error: entry.error });
    return item;
  }
}

function snapshot(entry: Entry, messageFor: (error: ConvertError) => string): UploadItem {
  return {
    id: entry.id,
    name: entry.file.name,
    size: entry.file.size,
    type: entry.file.type,
    status: entry.status,
    uploadProgress: entry.uploadProgress,
    convertProgress: entry.convertProgress,
    ...(entry.results ? { results: entry.results } : {}),
    ...(entry.error
      ? {
          error: {
            code: entry.error.code,
            message: messageFor(entry.error),
            ...(entry.error.status === undefined ? {} : { status: entry.error.status }),
            ...(entry.error.providerCode === undefined ? {} : { providerCode: entry.error.providerCode }),
            retryable: entry.error.retryable,
          },
        }
      : {}),
  };
}
