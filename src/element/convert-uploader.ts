import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { CredentialSource } from '../core/credential-source.js';
import type { ConvertError } from '../core/errors.js';
import { UploadQueue } from '../core/queue.js';
import type { TokenProvider } from '../core/token-types.js';
import { secureUrl } from '../core/url-policy.js';
import { createProvider } from '../providers/index.js';
import type { ProviderAdapter } from '../providers/provider.js';
import { ConvertEvents, createConvertEvent, type ConvertProgressDetail } from './events.js';
import { FrameThrottle } from './frame-throttle.js';
import { formatBytes, formatPercent } from './format.js';
import { en, type UiStrings } from './strings/en.js';
import { styles } from './convert-uploader.styles.js';
import type { ConversionResult, Provider, UploadItem, UploadStatus } from './types.js';

const announcedStatuses: ReadonlySet<UploadStatus> = new Set([
  'uploading',
  'converting',
  'done',
  'error',
  'canceled',
]);
const workingStatuses: ReadonlySet<UploadStatus> = new Set([
  'queued',
  'authorizing',
  'uploading',
  'converting',
]);

/** `auto-start="false"` turns it off; the attribute's absence or any other value keeps it on. */
const notFalse = {
  fromAttribute: (value: string | null) => value !== 'false',
  toAttribute: (value: boolean) => String(value),
};

/**
 * Drop or pick files and convert them with ConvertAPI or CloudConvert, using short-lived
 * credentials from the host's own token endpoint.
 *
 * @summary An accessible upload-and-convert widget.
 * @status experimental
 * @since 0.1
 *
 * @fires {CustomEvent<ConvertAddedDetail>} convert-added - Files passed the restrictions and were queued. `detail: { items }`.
 * @fires {CustomEvent<ConvertProgressDetail>} convert-progress - Upload or conversion progress of one file, at most once per animation frame. `detail: { item, phase, progress }`.
 * @fires {CustomEvent<ConvertSuccessDetail>} convert-success - One file converted. `detail: { item, results }`.
 * @fires {CustomEvent<ConvertErrorDetail>} convert-error - A file failed. `detail: { item, error: { code, message, status?, providerCode?, retryable } }`.
 * @fires {CustomEvent<ConvertCompleteDetail>} convert-complete - The queue drained. `detail: { succeeded, failed, canceled }`.
 *
 * @csspart base - The element's wrapper.
 * @csspart dropzone - The area that accepts dropped files.
 * @csspart button - The "choose files" button, and the buttons of each file.
 * @csspart file-list - The list of files.
 * @csspart file - One file: name, size, status, progress, results or error.
 * @csspart progress - A progress bar (upload or conversion).
 * @csspart result - One result link.
 * @csspart error - The message of a failed file.
 *
 * @cssprop [--convert-uploader-accent-color=#0b57d0] - Accent of buttons, progress, focus ring and drag-over state.
 * @cssprop [--convert-uploader-text-color=CanvasText] - Text colour.
 * @cssprop [--convert-uploader-muted-color=#5f6368] - Secondary text (sizes, statuses).
 * @cssprop [--convert-uploader-error-color=#b3261e] - Error messages.
 * @cssprop [--convert-uploader-border-color=#767676] - Border of the drop zone and of file rows.
 * @cssprop [--convert-uploader-button-text-color=#fff] - Text of the primary button.
 * @cssprop [--convert-uploader-focus-ring-color] - Focus outline; the accent colour by default.
 * @cssprop [--convert-uploader-dropzone-background=transparent] - Background of the drop zone.
 * @cssprop [--convert-uploader-dropzone-active-background] - Background of the drop zone while files are dragged over it.
 * @cssprop [--convert-uploader-radius=0.5rem] - Corner radius.
 * @cssprop [--convert-uploader-spacing=0.75rem] - Spacing between pieces.
 * @cssprop [--convert-uploader-font-family=inherit] - Font.
 */
export class ConvertUploader extends LitElement {
  static override styles = styles;

  private readonly queue = new UploadQueue({
    callbacks: {
      onChange: () => {
        this.handleQueueChange();
      },
      onProgress: (item, phase, progress) => {
        this.progressThrottle.push(`${item.id}:${phase}`, { item, phase, progress });
      },
      onSuccess: (item, results) => {
        this.progressThrottle.flush(`${item.id}:upload`);
        this.progressThrottle.flush(`${item.id}:convert`);
        this.dispatchEvent(createConvertEvent(ConvertEvents.success, { item, results }));
      },
      onError: (item, error) => {
        this.dispatchEvent(
          createConvertEvent(ConvertEvents.error, { item, error: item.error ?? this.errorInfo(error) }),
        );
      },
      onComplete: (summary) => {
        this.dispatchEvent(createConvertEvent(ConvertEvents.complete, summary));
      },
    },
    credentials: () => this.credentialSource,
    adapter: () => this.providerAdapter,
    settings: () => ({
      provider: this.provider,
      to: this.to,
      from: this.from || undefined,
      concurrency: this.concurrency,
      parameters: this.parameters,
    }),
    messageFor: (error) => this.strings_.errors[error.code],
  });

  private readonly progressThrottle = new FrameThrottle<ConvertProgressDetail>((detail) => {
    this.dispatchEvent(createConvertEvent(ConvertEvents.progress, detail));
  });

  @query('input[type="file"]') private fileInput!: HTMLInputElement;

  @state() private snapshot: readonly UploadItem[] = [];
  @state() private dragging = false;
  @state() private announcement = '';

  private dragDepth = 0;
  private readonly lastAnnounced = new Map<string, UploadStatus>();
  private cachedCredentialSource: CredentialSource | undefined;
  private cachedProvider: ProviderAdapter | undefined;

  /** The conversion service: `convertapi` or `cloudconvert`. */
  @property({ reflect: true }) provider: Provider = 'convertapi';

  /** URL of the host's token endpoint, which hands out short-lived credentials. */
  @property({ attribute: 'token-endpoint', reflect: true }) tokenEndpoint = '';

  /** Fetch credentials mode for the token endpoint: `same-origin`, `include` or `omit`. */
  @property({ attribute: 'token-credentials', reflect: true }) tokenCredentials: RequestCredentials =
    'same-origin';

  /** Output format, e.g. `pdf`. */
  @property({ reflect: true }) to = '';

  /** Input format for every file; by default each file's extension, lower-case. */
  @property({ reflect: true }) from = '';

  /** Accepted files, like `<input accept>`: extensions and MIME types. */
  @property({ reflect: true }) accept = '';

  /** Allow several files at once. */
  @property({ type: Boolean, reflect: true }) multiple = false;

  /** Files converting at once. */
  @property({ type: Number, reflect: true }) concurrency = 3;

  /** Start as soon as files are added; `auto-start="false"` waits for `start()`. */
  @property({ attribute: 'auto-start', converter: notFalse }) autoStart = true;

  /** Base URL of the conversion API (defaults to the service's own); for the sandbox or a proxy. */
  @property({ attribute: 'api-base', reflect: true }) apiBase = '';

  /** CloudConvert's wait host (default `https://sync.api.cloudconvert.com/v2`); when set, jobs are awaited there instead of polled. */
  @property({ attribute: 'sync-base', reflect: true }) syncBase = '';

  /** Use CloudConvert's sandbox hosts (`api.sandbox.cloudconvert.com`, `sync.api.sandbox.cloudconvert.com`). */
  @property({ type: Boolean, reflect: true }) sandbox = false;

  /** Seconds: a credential that would stay valid longer is refused. */
  @property({ attribute: 'max-token-lifetime', type: Number, reflect: true }) maxTokenLifetime = 3600;

  /** No input is accepted while set. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Replaces the token endpoint: a function of the page that returns a token response. */
  @property({ attribute: false }) tokenProvider: TokenProvider | undefined;

  /** Conversion options passed to the service (ConvertAPI parameters, CloudConvert convert-task options). */
  @property({ attribute: false }) parameters: Readonly<Record<string, unknown>> = {};

  /** Overrides of the UI text. */
  @property({ attribute: false }) strings: Partial<UiStrings> = {};

  /** A snapshot of the queue. */
  get items(): readonly UploadItem[] {
    return this.snapshot;
  }

  private get strings_(): UiStrings {
    return { ...en, ...this.strings };
  }

  private get credentialSource(): CredentialSource {
    this.cachedCredentialSource ??= new CredentialSource({
      provider: this.provider,
      endpoint: this.tokenEndpoint || undefined,
      tokenProvider: this.tokenProvider,
      credentials: this.tokenCredentials,
      maxLifetimeSeconds: this.maxTokenLifetime,
      baseUrl: document.baseURI,
    });
    return this.cachedCredentialSource;
  }

  private get providerAdapter(): ProviderAdapter {
    this.cachedProvider ??= createProvider(this.provider, {
      apiBase: this.apiBase || undefined,
      syncBase: this.syncBase || undefined,
      sandbox: this.sandbox,
    });
    return this.cachedProvider;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const credentialInputs = [
      'provider',
      'tokenEndpoint',
      'tokenProvider',
      'tokenCredentials',
      'maxTokenLifetime',
    ] as const;
    if (credentialInputs.some((name) => changed.has(name))) this.cachedCredentialSource = undefined;
    const providerInputs = ['provider', 'apiBase', 'syncBase', 'sandbox'] as const;
    if (providerInputs.some((name) => changed.has(name))) this.cachedProvider = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.progressThrottle.cancel();
  }

  /** Opens the system's file picker. */
  openPicker(): void {
    if (!this.disabled) this.fileInput.click();
  }

  /** Queues files, as if they had been dropped or picked; returns the queued items. */
  addFiles(files: Iterable<File> | ArrayLike<File>): readonly UploadItem[] {
    if (this.disabled) return [];
    const chosen = Array.from(files);
    const accepted = this.multiple ? chosen : chosen.slice(0, 1);
    if (accepted.length === 0) return [];
    if (!this.multiple) this.queue.clear();
    const added = this.queue.add(accepted);
    this.announcement = this.strings_.filesAdded(added.length);
    this.dispatchEvent(createConvertEvent(ConvertEvents.added, { items: added }));
    if (this.autoStart) this.queue.start();
    return added;
  }

  /** Starts the queued files (needed only with `auto-start="false"`). */
  start(): void {
    this.queue.start();
  }

  /** Cancels one file, or every file still waiting or working. */
  cancel(id?: string): void {
    this.queue.cancel(id);
  }

  /** Tries a failed or canceled file again, or all of them. */
  retry(id?: string): void {
    this.queue.retry(id);
  }

  /**
   * Removes a file from the list (canceling it if it is working). Without an id it does what
   * `remove()` does on every element: takes the element out of the page.
   */
  override remove(id?: string): void {
    if (id === undefined) {
      super.remove();
      return;
    }
    this.queue.remove(id);
    this.lastAnnounced.delete(id);
  }

  /** Empties the list, canceling whatever is working. */
  clear(): void {
    this.queue.clear();
    this.lastAnnounced.clear();
  }

  private errorInfo(error: ConvertError) {
    return { code: error.code, message: this.strings_.errors[error.code], retryable: error.retryable };
  }

  private handleQueueChange(): void {
    this.snapshot = this.queue.items;
    const strings = this.strings_;
    const changes: string[] = [];
    for (const item of this.snapshot) {
      if (this.lastAnnounced.get(item.id) === item.status) continue;
      this.lastAnnounced.set(item.id, item.status);
      if (announcedStatuses.has(item.status)) {
        const status = item.error
          ? `${strings.status[item.status]}. ${item.error.message}`
          : strings.status[item.status];
        changes.push(strings.announcePhase(item.name, status));
      }
    }
    if (changes.length > 0) this.announcement = changes.join('. ');
  }

  private handlePicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.files) this.addFiles(input.files);
    input.value = '';
  }

  private handleDragEnter(event: DragEvent): void {
    if (this.disabled || !hasFiles(event)) return;
    event.preventDefault();
    this.dragDepth += 1;
    this.dragging = true;
  }

  private handleDragOver(event: DragEvent): void {
    if (this.disabled || !hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  }

  private handleDragLeave(): void {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.dragging = false;
  }

  private handleDrop(event: DragEvent): void {
    this.dragDepth = 0;
    this.dragging = false;
    if (this.disabled || !event.dataTransfer) return;
    event.preventDefault();
    this.addFiles(event.dataTransfer.files);
  }

  private renderProgress(item: UploadItem) {
    const strings = this.strings_;
    if (item.status === 'uploading') {
      return html`<progress
        part="progress"
        max="1"
        .value=${item.uploadProgress}
        aria-label=${strings.uploadProgressLabel(item.name)}
        aria-valuetext=${formatPercent(item.uploadProgress, this.lang || undefined)}
      ></progress>`;
    }
    if (item.status === 'converting') {
      // Without a value the bar is indeterminate: the service reports no progress.
      return item.convertProgress === null
        ? html`<progress part="progress" aria-label=${strings.convertProgressLabel(item.name)}></progress>`
        : html`<progress
            part="progress"
            max="1"
            .value=${item.convertProgress}
            aria-label=${strings.convertProgressLabel(item.name)}
            aria-valuetext=${formatPercent(item.convertProgress, this.lang || undefined)}
          ></progress>`;
    }
    return nothing;
  }

  private renderResult(result: ConversionResult) {
    const strings = this.strings_;
    const size = result.size === undefined ? '' : ` (${formatBytes(result.size, this.lang || undefined)})`;
    const url = secureUrl(result.url);
    return html`<li>
      ${
        url
          ? html`<a
              part="result"
              href=${url.href}
              download=${result.name}
              aria-label=${strings.download(result.name)}
              >${result.name}${size}</a
            >`
          : html`<span part="result">${result.name}${size}</span>`
      }
    </li>`;
  }

  private renderActions(item: UploadItem) {
    const strings = this.strings_;
    const working = workingStatuses.has(item.status);
    return html`<span class="actions">
      ${
        working
          ? html`<button
              part="button"
              type="button"
              aria-label=${strings.cancelFile(item.name)}
              @click=${() => {
                this.cancel(item.id);
              }}
            >
              ${strings.cancel}
            </button>`
          : nothing
      }
      ${
        item.status === 'error' || item.status === 'canceled'
          ? html`<button
              part="button"
              type="button"
              aria-label=${strings.retryFile(item.name)}
              @click=${() => {
                this.retry(item.id);
              }}
            >
              ${strings.retry}
            </button>`
          : nothing
      }
      ${
        working
          ? nothing
          : html`<button
              part="button"
              type="button"
              aria-label=${strings.removeFile(item.name)}
              @click=${() => {
                this.remove(item.id);
              }}
            >
              ${strings.remove}
            </button>`
      }
    </span>`;
  }

  private renderItem(item: UploadItem) {
    const strings = this.strings_;
    return html`<li part="file" data-status=${item.status}>
      <div class="summary">
        <span class="name">${item.name}</span>
        <span class="size">${formatBytes(item.size, this.lang || undefined)}</span>
        <span class="status">${strings.status[item.status]}</span>
        ${this.renderActions(item)}
      </div>
      ${this.renderProgress(item)} ${item.error ? html`<p part="error">${item.error.message}</p>` : nothing}
      ${
        item.results && item.results.length > 0
          ? html`<ul class="results" aria-label=${strings.resultsLabel(item.name)}>
              ${item.results.map((result) => this.renderResult(result))}
            </ul>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const strings = this.strings_;
    return html`
      <div part="base">
        <div
          part="dropzone"
          role="group"
          aria-label=${strings.dropzoneLabel}
          class=${this.dragging ? 'dragging' : ''}
          @dragenter=${this.handleDragEnter}
          @dragover=${this.handleDragOver}
          @dragleave=${this.handleDragLeave}
          @drop=${this.handleDrop}
        >
          <span>${strings.dropHint}</span>
          <button
            part="button"
            class="primary"
            type="button"
            ?disabled=${this.disabled}
            @click=${this.openPicker}
          >
            ${this.multiple ? strings.chooseFiles : strings.chooseFile}
          </button>
          <input
            class="visually-hidden"
            type="file"
            tabindex="-1"
            aria-hidden="true"
            accept=${this.accept || nothing}
            ?multiple=${this.multiple}
            ?disabled=${this.disabled}
            @change=${this.handlePicked}
          />
        </div>
        ${
          this.snapshot.length > 0
            ? html`<ul part="file-list" aria-label=${strings.fileListLabel}>
                ${repeat(
                  this.snapshot,
                  (item) => item.id,
                  (item) => this.renderItem(item),
                )}
              </ul>`
            : nothing
        }
        <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      </div>
    `;
  }
}

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}
