import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CredentialSource } from '../../engine/credential-source.js';
import type { ConvertError } from '../../engine/errors.js';
import type { ProviderAdapter } from '../../engine/provider-port.js';
import type { UploadItem } from '../../engine/types.js';
import { UploadQueue } from '../../engine/upload-queue.js';
import { createProvider, credentialParsers } from '../../providers/registry.js';
import { emit, type ConvertProgressDetail } from '../events.js';
import { FrameThrottle } from '../frame-throttle.js';
import { offeredFormats, type UploaderSettings } from '../settings.js';

/** A long list is rendered this many rows per frame, so that adding 1,000 files never blocks the page. */
const rowsPerFrame = 25;

type Host = ReactiveControllerHost & HTMLElement & UploaderSettings;

/** Whether two lists of inputs hold the same values, entry by entry. */
const sameInputs = (a: readonly unknown[], b: readonly unknown[]) =>
  a.every((value, index) => value === b[index]);

/**
 * The element's files: owns the queue, the credential source and the provider adapter (each made again when
 * the settings it depends on change), keeps the one snapshot of the items that the element renders, and
 * dispatches the queue's events (progress at most once per frame per file).
 */
export class QueueController implements ReactiveController {
  /** The items as the element renders them; only this controller writes it. */
  items: readonly UploadItem[] = [];
  /** How many of the items are rendered so far (a long list grows by `rowsPerFrame` per frame). */
  shownRows = rowsPerFrame;
  readonly queue: UploadQueue;

  readonly #host: Host;
  readonly #onItemsChanged: (previous: readonly UploadItem[]) => void;
  #credentials: CredentialSource | undefined;
  #credentialInputs: readonly unknown[] = [];
  #adapter: ProviderAdapter | undefined;
  #adapterInputs: readonly unknown[] = [];
  #frame: number | undefined;
  readonly #progress: FrameThrottle<ConvertProgressDetail>;

  constructor(
    host: Host,
    options: {
      /** The visitor-facing message of an error, in the element's language. */
      messageFor: (error: ConvertError) => string;
      /** The items changed (not for progress alone): for announcements and focus. */
      onItemsChanged: (previous: readonly UploadItem[]) => void;
    },
  ) {
    this.#host = host;
    this.#onItemsChanged = options.onItemsChanged;
    this.#progress = new FrameThrottle((detail) => {
      emit(host, 'convert-progress', detail);
    });
    this.queue = new UploadQueue({
      callbacks: {
        onChange: () => {
          const previous = this.items;
          this.items = this.queue.items;
          // The update is requested first: what reacts to the change may wait for it (focus after a removal).
          host.requestUpdate();
          this.#onItemsChanged(previous);
        },
        onProgress: (item, phase, progress) => {
          this.#progress.push(`${item.id}:${phase}`, { item, phase, progress });
          this.#refreshOnNextFrame();
        },
        onSuccess: (item, results) => {
          this.#flushProgress(item);
          emit(host, 'convert-success', { item, results });
        },
        onError: (item) => {
          // A progress report still waiting for its frame goes out first, not after the error.
          this.#flushProgress(item);
          if (item.error) emit(host, 'convert-error', { item, error: item.error });
        },
        onComplete: (summary) => {
          emit(host, 'convert-complete', summary);
        },
      },
      credentials: () => this.#credentialSource(),
      adapter: () => this.adapter,
      settings: () => ({
        provider: host.provider,
        to: host.to,
        from: host.from || undefined,
        concurrency: host.concurrency,
        parameters: host.parameters,
        checkCatalogue: offeredFormats(host).length > 0,
      }),
      messageFor: options.messageFor,
    });
    host.addController(this);
  }

  /** The adapter of the element's service, made again when its settings change. */
  get adapter(): ProviderAdapter {
    const host = this.#host;
    const inputs = [host.provider, host.apiBase, host.syncBase, host.sandbox, host.tokenCredentials];
    if (!this.#adapter || !sameInputs(inputs, this.#adapterInputs)) {
      this.#adapterInputs = inputs;
      this.#adapter = createProvider(host.provider, {
        apiBase: host.apiBase || undefined,
        syncBase: host.syncBase || undefined,
        sandbox: host.sandbox,
        statusCredentials: host.tokenCredentials,
      });
    }
    return this.#adapter;
  }

  #credentialSource(): CredentialSource {
    const host = this.#host;
    const inputs = [
      host.provider,
      host.tokenEndpoint,
      host.tokenProvider,
      host.tokenCredentials,
      host.maxTokenLifetime,
    ];
    if (!this.#credentials || !sameInputs(inputs, this.#credentialInputs)) {
      this.#credentialInputs = inputs;
      this.#credentials = new CredentialSource({
        provider: host.provider,
        parse: credentialParsers[host.provider],
        endpoint: host.tokenEndpoint || undefined,
        tokenProvider: host.tokenProvider,
        credentials: host.tokenCredentials,
        maxLifetimeSeconds: host.maxTokenLifetime,
        baseUrl: document.baseURI,
      });
    }
    return this.#credentials;
  }

  #flushProgress(item: UploadItem): void {
    this.#progress.flush(`${item.id}:upload`);
    this.#progress.flush(`${item.id}:convert`);
  }

  hostUpdated(): void {
    if (this.shownRows < this.items.length) this.#refreshOnNextFrame();
  }

  hostDisconnected(): void {
    this.#progress.cancel();
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    // Credentials live no longer than the element is on the page.
    this.#credentials?.clear();
  }

  /** Renders progress (and the next slice of a long list) once per frame, however many events came. */
  #refreshOnNextFrame(): void {
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = undefined;
      this.items = this.queue.items;
      this.shownRows = Math.max(rowsPerFrame, Math.min(this.items.length, this.shownRows + rowsPerFrame));
      this.#host.requestUpdate();
    });
  }
}
