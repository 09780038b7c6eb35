import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { inputFormatOf } from '../contract/file-name.js';
import { CredentialSource, type TokenProvider } from '../engine/credential-source.js';
import { ConvertError } from '../engine/errors.js';
import { UploadQueue } from '../engine/upload-queue.js';
import { applyRestrictions, parseSize, type RejectionCode } from '../engine/restrictions.js';
import { createProvider } from '../providers/registry.js';
import type { ProviderAdapter } from '../engine/provider-port.js';
import { displayName } from './display-name.js';
import { ConvertEvents, createConvertEvent, type ConvertProgressDetail } from './events.js';
import type { FileRowContext } from './file-row.js';
import { FileRows } from './file-rows.js';
import { updateFormValue } from './form-value.js';
import { formatBytes } from './intl-format.js';
import { FrameThrottle } from './frame-throttle.js';
import { LocaleController } from './locale-controller.js';
import { MinuteClock } from './minute-clock.js';
import { withOverrides, type StringOverrides, type UiStrings } from './strings/en.js';
import { styles } from './convert-uploader.styles.js';
import type { Provider, UploadItem, UploadStatus } from '../engine/types.js';

const announcedStatuses: ReadonlySet<UploadStatus> = new Set([
  'uploading',
  'converting',
  'done',
  'error',
  'canceled',
]);
const rowsPerFrame = 50;
const busyStatuses: ReadonlySet<UploadStatus> = new Set(['queued', 'authorizing', 'uploading', 'converting']);

/** `auto-start="false"` turns it off; the attribute's absence or any other value keeps it on. */
const notFalse = {
  fromAttribute: (value: string | null) => value !== 'false',
  toAttribute: (value: boolean) => String(value),
};

interface ShownRejection {
  key: number;
  name: string;
  code: RejectionCode;
}

let rejectionCounter = 0;

/**
 * Drop, paste or pick files and convert them with ConvertAPI or CloudConvert, using short-lived
 * credentials from the host's own token endpoint. Form-associated: with a `name`, each result URL
 * is a form entry.
 *
 * @summary An accessible upload-and-convert widget.
 * @status experimental
 * @since 0.1
 *
 * @attr {string} lang - UI language: en, de, es, fr or ja (others fall back to English); else the nearest ancestor's, else the document's.
 *
 * @fires {CustomEvent<ConvertAddedDetail>} convert-added - Files passed the restrictions and were queued. `detail: { items }`.
 * @fires {CustomEvent<ConvertRejectedDetail>} convert-rejected - A file failed a restriction. `detail: { file: { name, size, type }, code }`.
 * @fires {CustomEvent<ConvertProgressDetail>} convert-progress - Upload or conversion progress of one file, at most once per animation frame. `detail: { item, phase, progress }`.
 * @fires {CustomEvent<ConvertSuccessDetail>} convert-success - One file converted. `detail: { item, results }`.
 * @fires {CustomEvent<ConvertErrorDetail>} convert-error - A file failed. `detail: { item, error: { code, message, status?, providerCode?, retryable } }`.
 * @fires {CustomEvent<ConvertCompleteDetail>} convert-complete - The queue drained. `detail: { succeeded, failed, canceled }`.
 *
 * @csspart base - The element's wrapper.
 * @csspart dropzone - The area that accepts dropped files.
 * @csspart button - Every button: "choose files" and each file's actions.
 * @csspart format-picker - The output format picker (with `formats`).
 * @csspart file-list - The list of files.
 * @csspart file - One file: name, size, status, progress, results or error.
 * @csspart file-name - A file's name.
 * @csspart file-size - A file's size.
 * @csspart status - A file's status.
 * @csspart progress - A progress bar (upload or conversion).
 * @csspart result - One result link.
 * @csspart preview - The preview of an image result.
 * @csspart expiry - When a result link expires.
 * @csspart error - The message of a failed file.
 * @csspart rejections - The list of files that were not added, with the reasons.
 *
 * @cssprop [--convert-uploader-accent-color=#0b57d0] - Accent of buttons, progress, focus ring and drag-over state.
 * @cssprop [--convert-uploader-text-color=#1f1f1f] - Text colour (`#e3e3e3` in dark mode).
 * @cssprop [--convert-uploader-background=transparent] - Background of the element (`#1f1f1f` in dark mode).
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
 * @cssprop [--convert-uploader-preview-size=6rem] - Largest side of an image preview.
 */
export class ConvertUploader extends LitElement {
  static override styles = styles;
  static formAssociated = true;

  /**
   * The reactive properties, declared here rather than by decorators (which cost the CDN bundle
   * 1 KB). Internal state says `attribute: false` too, for the manifest's analyzer.
   */
  static override properties = {
    snapshot: { state: true, attribute: false },
    dragging: { state: true, attribute: false },
    announcement: { state: true, attribute: false },
    rejections: { state: true, attribute: false },
    catalogue: { state: true, attribute: false },
    brokenPreviews: { state: true, attribute: false },
    renderedRows: { state: true, attribute: false },
    provider: { reflect: true },
    tokenEndpoint: { attribute: 'token-endpoint', reflect: true },
    tokenCredentials: { attribute: 'token-credentials', reflect: true },
    to: { reflect: true },
    formats: { reflect: true },
    from: { reflect: true },
    accept: { reflect: true },
    maxFileSize: { attribute: 'max-file-size', reflect: true },
    maxFiles: { attribute: 'max-files', type: Number, reflect: true },
    multiple: { type: Boolean, reflect: true },
    concurrency: { type: Number, reflect: true },
    autoStart: { attribute: 'auto-start', converter: notFalse },
    apiBase: { attribute: 'api-base', reflect: true },
    syncBase: { attribute: 'sync-base', reflect: true },
    sandbox: { type: Boolean, reflect: true },
    maxTokenLifetime: { attribute: 'max-token-lifetime', type: Number, reflect: true },
    name: { reflect: true },
    required: { type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
    tokenProvider: { attribute: false },
    parameters: { attribute: false },
    strings: { attribute: false },
  };

  readonly #internals: ElementInternals = this.attachInternals();
  readonly #locale = new LocaleController(this);

  readonly #queue = new UploadQueue({
    callbacks: {
      onChange: () => {
        this.#handleQueueChange();
      },
      onProgress: (item, phase, progress) => {
        this.#progressThrottle.push(`${item.id}:${phase}`, { item, phase, progress });
        this.#refreshOnNextFrame();
      },
      onSuccess: (item, results) => {
        this.#progressThrottle.flush(`${item.id}:upload`);
        this.#progressThrottle.flush(`${item.id}:convert`);
        this.dispatchEvent(createConvertEvent(ConvertEvents.success, { item, results }));
      },
      onError: (item, error) => {
        const info = item.error ?? {
          code: error.code,
          message: this.#ui.errors[error.code],
          retryable: error.retryable,
        };
        this.dispatchEvent(createConvertEvent(ConvertEvents.error, { item, error: info }));
      },
      onComplete: (summary) => {
        this.dispatchEvent(createConvertEvent(ConvertEvents.complete, summary));
      },
    },
    credentials: () => this.#credentialSource,
    adapter: () => this.#providerAdapter,
    settings: () => ({
      provider: this.provider,
      to: this.to,
      from: this.from || undefined,
      concurrency: this.concurrency,
      parameters: this.parameters,
      checkCatalogue: this.#offeredFormats.length > 0,
    }),
    messageFor: (error) => this.#ui.errors[error.code],
  });

  readonly #progressThrottle = new FrameThrottle<ConvertProgressDetail>((detail) => {
    this.dispatchEvent(createConvertEvent(ConvertEvents.progress, detail));
  });

  get #fileInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input[type="file"]');
  }

  get #pickerButton(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('button.primary');
  }

  private snapshot: readonly UploadItem[] = [];
  private dragging = false;
  private announcement = '';
  private rejections: readonly ShownRejection[] = [];
  /** Output formats the service offers, per input format (undefined: unknown, nothing restricted). */
  private catalogue: ReadonlyMap<string, readonly string[] | undefined> = new Map();
  private brokenPreviews: ReadonlySet<string> = new Set();

  /** How many rows of the list are rendered so far (a long list grows by `rowsPerFrame` per frame). */
  private renderedRows = rowsPerFrame;
  #frame: number | undefined;
  #dragDepth = 0;
  readonly #lastAnnounced = new Map<string, UploadStatus>();
  readonly #rows = new FileRows();
  #cachedCredentialSource: CredentialSource | undefined;
  #cachedProvider: ProviderAdapter | undefined;

  /** The conversion service: `convertapi` or `cloudconvert`. */
  provider: Provider = 'convertapi';

  /** URL of the host's token endpoint, which hands out short-lived credentials (https, or http on loopback). */
  tokenEndpoint = '';

  /** Fetch credentials mode for the token endpoint: `same-origin`, `include` or `omit`. */
  tokenCredentials: RequestCredentials = 'same-origin';

  /** Output format, e.g. `pdf`; with `formats`, the picker's default choice. */
  to = '';

  /** Comma-separated output formats offered in a picker, e.g. `pdf,png,jpg`. */
  formats = '';

  /** Input format when a file's name does not say it, e.g. `md` (otherwise its extension wins). */
  from = '';

  /** Accepted files, like `<input accept>`: extensions and MIME types. */
  accept = '';

  /** Largest accepted file: bytes, or with a unit (`25MB`, `1.5GB`, `512KiB`). */
  maxFileSize = '';

  /** How many files the list holds at most. */
  maxFiles: number | undefined;

  /** Allow several files at once. */
  multiple = false;

  /** Files converting at once. */
  concurrency = 3;

  /** Start as soon as files are added; `auto-start="false"` waits for `start()`. */
  autoStart = true;

  /** Base URL of the conversion API (defaults to the service's own); for the sandbox or a proxy. */
  apiBase = '';

  /** CloudConvert's wait host (default `https://sync.api.cloudconvert.com/v2`); when set, jobs are awaited there instead of polled. */
  syncBase = '';

  /** Use CloudConvert's sandbox hosts (`api.sandbox.cloudconvert.com`, `sync.api.sandbox.cloudconvert.com`). */
  sandbox = false;

  /** Seconds: a credential that would stay valid longer is refused. */
  maxTokenLifetime = 3600;

  /** Form field name: each result URL is submitted under it. */
  name = '';

  /** A form with this element cannot be submitted until a file is converted. */
  required = false;

  /** No input is accepted while set. */
  disabled = false;

  /** Replaces the token endpoint: a function of the page that returns a token response. */
  tokenProvider: TokenProvider | undefined;

  /** Conversion options passed to the service (ConvertAPI parameters, CloudConvert convert-task options). */
  parameters: Readonly<Record<string, unknown>> = {};

  /** Overrides of the UI text (any entry; nested maps such as `errors` entry by entry). */
  strings: StringOverrides = {};

  constructor() {
    super();
    // Keeps "link expires in …" current while results are shown.
    new MinuteClock(this, () => this.snapshot.some((item) => item.results?.length));
  }

  /** A snapshot of the queue. */
  get items(): readonly UploadItem[] {
    return this.snapshot;
  }

  /** The form this element belongs to. */
  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }

  /** The element's validity as a form field (`valueMissing` when required and empty, a custom error while converting). */
  get validity(): ValidityState {
    return this.#internals.validity;
  }

  /** Why the element is invalid, in its UI language. */
  get validationMessage(): string {
    return this.#internals.validationMessage;
  }

  /** Whether the element is valid as a form field; fires `invalid` when not. */
  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }

  /** Like `checkValidity()`, and shows the message to the visitor. */
  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  #uiCache: { base: UiStrings; overrides: StringOverrides; merged: UiStrings } | undefined;

  /** The UI strings: the language's, with the page's overrides (the same object until either changes). */
  get #ui(): UiStrings {
    const base = this.#locale.strings;
    if (this.#uiCache?.base !== base || this.#uiCache.overrides !== this.strings) {
      const languageChanged = this.#uiCache !== undefined;
      this.#uiCache = { base, overrides: this.strings, merged: withOverrides(base, this.strings) };
      // Error messages in the items are in the old language: make them again (after this render).
      if (languageChanged)
        queueMicrotask(() => {
          this.#queue.refreshMessages();
        });
    }
    return this.#uiCache.merged;
  }

  get #offeredFormats(): string[] {
    return this.formats
      .split(',')
      .map((format) => format.trim().toLowerCase())
      .filter(Boolean);
  }

  get #credentialSource(): CredentialSource {
    this.#cachedCredentialSource ??= new CredentialSource({
      provider: this.provider,
      endpoint: this.tokenEndpoint || undefined,
      tokenProvider: this.tokenProvider,
      credentials: this.tokenCredentials,
      maxLifetimeSeconds: this.maxTokenLifetime,
      baseUrl: document.baseURI,
    });
    return this.#cachedCredentialSource;
  }

  get #providerAdapter(): ProviderAdapter {
    this.#cachedProvider ??= createProvider(this.provider, {
      apiBase: this.apiBase || undefined,
      syncBase: this.syncBase || undefined,
      sandbox: this.sandbox,
      statusCredentials: this.tokenCredentials,
    });
    return this.#cachedProvider;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('paste', this.#handlePaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('paste', this.#handlePaste);
    this.#progressThrottle.cancel();
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
  }

  override updated(): void {
    // The rows are kept by FileRows, not by this template (which renders the empty list).
    const ui = this.#ui;
    this.#rows.update(
      this.renderRoot.querySelector('[part="file-list"]'),
      this.snapshot.slice(0, this.renderedRows),
      this.#rowContext(ui),
      [ui, this.#locale.lang, this.catalogue, this.brokenPreviews],
    );
    // A long list is rendered a slice per frame, so that adding 1,000 files never blocks the page.
    if (this.renderedRows < this.snapshot.length) this.#refreshOnNextFrame();
  }

  /** Renders progress (and the next slice of a long list) once per frame, however many events came. */
  #refreshOnNextFrame(): void {
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = undefined;
      this.snapshot = this.#queue.items;
      this.renderedRows = Math.min(this.snapshot.length, this.renderedRows + rowsPerFrame);
    });
  }

  override willUpdate(changed: PropertyValues): void {
    const credentialInputs = [
      'provider',
      'tokenEndpoint',
      'tokenProvider',
      'tokenCredentials',
      'maxTokenLifetime',
    ] as const;
    if (credentialInputs.some((name) => changed.has(name))) this.#cachedCredentialSource = undefined;
    const providerInputs = ['provider', 'apiBase', 'syncBase', 'sandbox', 'tokenCredentials'] as const;
    if (providerInputs.some((name) => changed.has(name))) {
      this.#cachedProvider = undefined;
      this.catalogue = new Map();
    }
    if (changed.has('to') && changed.get('to') !== undefined) this.#queue.retarget(this.to);
    if (changed.has('formats') && this.#offeredFormats.length > 0 && !this.to)
      this.to = this.#offeredFormats[0] ?? '';
    if (['name', 'required', 'snapshot'].some((name) => changed.has(name))) this.#syncFormValue();
    if (['snapshot', 'formats', 'provider', 'apiBase'].some((name) => changed.has(name)))
      this.#loadCatalogue();
  }

  /** Called by the form when it is reset: empties the list. */
  formResetCallback(): void {
    this.clear();
    this.rejections = [];
  }

  /** Called when a surrounding fieldset is disabled or enabled. */
  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  /** Opens the system's file picker. */
  openPicker(): void {
    if (!this.disabled) this.#fileInput?.click();
  }

  /**
   * Checks files against the restrictions, queues those that pass (firing `convert-added`) and
   * reports the others (firing `convert-rejected`); returns the queued items.
   */
  addFiles(files: Iterable<File> | ArrayLike<File>): readonly UploadItem[] {
    if (this.disabled) return [];
    const chosen = Array.from(files);
    if (chosen.length === 0) return [];
    if (!this.multiple && chosen.length > 0) this.#queue.clear();
    const { accepted, rejected } = applyRestrictions(chosen, {
      accept: this.accept,
      maxFileSize: parseSize(this.maxFileSize),
      maxFiles: this.multiple ? this.maxFiles : 1,
      alreadyQueued: this.multiple ? this.snapshot.length : 0,
    });
    this.#showRejections(rejected);
    if (accepted.length === 0) return [];
    const added = this.#queue.add(accepted);
    this.announcement = this.#ui.filesAdded(added.length);
    this.dispatchEvent(createConvertEvent(ConvertEvents.added, { items: added }));
    if (this.autoStart) this.#queue.start();
    else if (this.#offeredFormats.length > 0) void this.#flagUnsupported(added);
    return added;
  }

  /** Starts the queued files (needed only with `auto-start="false"`). */
  start(): void {
    this.#queue.start();
  }

  /** Cancels one file, or every file still waiting or working. */
  cancel(id?: string): void {
    this.#queue.cancel(id);
  }

  /** Tries a failed or canceled file again, or all of them. */
  retry(id?: string): void {
    this.#queue.retry(id);
  }

  /**
   * Converts a converted file again to another format, without uploading it again (ConvertAPI
   * reuses the upload, kept three hours; CloudConvert's new job imports the file's export, kept a
   * day). Returns the new item, or undefined when that is not possible.
   */
  convertAgain(id: string, to: string): UploadItem | undefined {
    const item = this.#queue.reconvert(id, to);
    if (item && this.autoStart) this.#queue.start();
    return item;
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
    this.#queue.remove(id);
    this.#lastAnnounced.delete(id);
  }

  /** Empties the list, canceling whatever is working. */
  clear(): void {
    this.#queue.clear();
    this.#lastAnnounced.clear();
  }

  #showRejections(rejected: readonly { file: File; code: RejectionCode }[]): void {
    if (rejected.length === 0) return;
    this.rejections = [
      ...this.rejections,
      ...rejected.map(({ file, code }) => ({ key: ++rejectionCounter, name: file.name, code })),
    ];
    for (const { file, code } of rejected) {
      this.dispatchEvent(
        createConvertEvent(ConvertEvents.rejected, {
          file: { name: file.name, size: file.size, type: file.type },
          code,
        }),
      );
    }
  }

  #rejectionText(code: RejectionCode): string {
    const limit =
      code === 'file-too-large'
        ? formatBytes(parseSize(this.maxFileSize) ?? 0, this.#locale.lang)
        : new Intl.NumberFormat(this.#locale.lang).format(this.multiple ? (this.maxFiles ?? 0) : 1);
    return this.#ui.rejected[code](limit);
  }

  /** Flags, before any upload, files the service cannot convert to the chosen format. */
  async #flagUnsupported(items: readonly UploadItem[]): Promise<void> {
    const adapter = this.#providerAdapter;
    for (const item of items) {
      const from = inputFormatOf(item.name, this.from);
      const targets = await adapter.targets?.(from);
      if (targets && !targets.includes(this.to)) {
        this.#queue.refuse(
          item.id,
          new ConvertError('conversion-unsupported', `The service does not convert ${from} to ${this.to}.`, {
            retryable: false,
          }),
        );
      }
    }
  }

  /** Reads the service's catalogue for the listed files' formats; only for the picker (`formats`). */
  #loadCatalogue(): void {
    if (this.#offeredFormats.length === 0) return;
    const adapter = this.#providerAdapter;
    if (!adapter.targets) return;
    const wanted = new Set(this.snapshot.map((item) => inputFormatOf(item.name, this.from)).filter(Boolean));
    for (const from of wanted) {
      if (this.catalogue.has(from)) continue;
      this.catalogue = new Map(this.catalogue).set(from, undefined);
      void adapter.targets(from).then((targets) => {
        if (adapter === this.#cachedProvider) this.catalogue = new Map(this.catalogue).set(from, targets);
      });
    }
  }

  /** The output formats offered to `from`: the picker's list, narrowed by the service's catalogue. */
  #targetsFor(from: string): readonly string[] {
    const known = this.catalogue.get(from);
    const offered = this.#offeredFormats.length > 0 ? this.#offeredFormats : (known ?? []);
    return known ? offered.filter((format) => known.includes(format)) : offered;
  }

  /** Choices of the picker: offered formats every waiting (else every) file can be converted to. */
  #pickerChoices(): string[] {
    const waiting = this.snapshot.filter((item) => item.status === 'queued');
    const files = waiting.length > 0 ? waiting : this.snapshot;
    const sources = new Set(files.map((item) => inputFormatOf(item.name, this.from)));
    return this.#offeredFormats.filter((format) =>
      [...sources].every((from) => {
        const known = this.catalogue.get(from);
        return !known || known.includes(format);
      }),
    );
  }

  #syncFormValue(): void {
    updateFormValue(this.#internals, {
      name: this.name,
      required: this.required,
      items: this.snapshot,
      strings: this.#ui,
      anchor: this.#pickerButton ?? undefined,
    });
  }

  #handleQueueChange(): void {
    const previous = new Set(this.snapshot.map((item) => item.id));
    this.snapshot = this.#queue.items;
    const ui = this.#ui;
    const changes: string[] = [];
    for (const item of this.snapshot) {
      if (this.#lastAnnounced.get(item.id) === item.status) continue;
      this.#lastAnnounced.set(item.id, item.status);
      if (announcedStatuses.has(item.status)) {
        const status = item.error
          ? `${ui.status[item.status]}. ${item.error.message}`
          : ui.status[item.status];
        changes.push(ui.announcePhase(item.name, status));
      }
    }
    if (changes.length > 0) this.announcement = changes.join('. ');
    if (this.snapshot.length < previous.size) void this.#keepFocusInside();
  }

  /** After a row disappears, focus goes to the next row's first button, or to the picker button. */
  async #keepFocusInside(): Promise<void> {
    const focusWasInList = Boolean(this.shadowRoot?.activeElement?.closest('[part~="file"]'));
    await this.updateComplete;
    if (!focusWasInList || this.shadowRoot?.activeElement) return;
    const next = this.shadowRoot?.querySelector<HTMLButtonElement>('[part~="file"] button');
    (next ?? this.#pickerButton)?.focus();
  }

  readonly #handlePaste = (event: ClipboardEvent): void => {
    const files = event.clipboardData?.files;
    if (this.disabled || !files || files.length === 0) return;
    event.preventDefault();
    this.addFiles(files);
  };

  #handlePicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.files) this.addFiles(input.files);
    input.value = '';
  }

  #handleFormatPicked(event: Event): void {
    this.to = (event.target as HTMLSelectElement).value;
  }

  #handleDragEnter(event: DragEvent): void {
    if (this.disabled || !hasFiles(event)) return;
    event.preventDefault();
    this.#dragDepth += 1;
    this.dragging = true;
  }

  #handleDragOver(event: DragEvent): void {
    if (this.disabled || !hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  }

  #handleDragLeave(): void {
    this.#dragDepth = Math.max(0, this.#dragDepth - 1);
    if (this.#dragDepth === 0) this.dragging = false;
  }

  #handleDrop(event: DragEvent): void {
    this.#dragDepth = 0;
    this.dragging = false;
    const transfer = event.dataTransfer;
    if (this.disabled || !transfer) return;
    event.preventDefault();
    // Entries can only be taken while the event lasts; folders are walked afterwards.
    const files = [...transfer.files];
    const entries = [...transfer.items]
      .filter((item) => item.kind === 'file')
      .map((item) => item.webkitGetAsEntry());
    if (!entries.some((entry) => entry?.isDirectory)) {
      this.addFiles(files);
      return;
    }
    const room = this.multiple ? (this.maxFiles ?? 1000) - this.snapshot.length + 1 : 2;
    // Files the restrictions refuse are still listed (with the reason) but leave the room to others.
    const maxFileSize = parseSize(this.maxFileSize);
    const counts = (file: File) =>
      applyRestrictions([file], { accept: this.accept, maxFileSize }).accepted.length === 1;
    void import('./dropped-folders.js')
      .then(({ filesOfEntries }) => filesOfEntries(entries, Math.max(1, room), counts))
      // Without the folder walker (its chunk did not load), the drop's plain files still come in.
      .catch(() => files.filter((_, index) => entries[index]?.isFile))
      .then((found) => this.addFiles(found));
  }

  /** What the rows need from the element. */
  #rowContext(ui: UiStrings): FileRowContext {
    return {
      ui,
      lang: this.#locale.lang,
      canConvertAgain: (item) =>
        this.#queue.canReconvert(item.id) ? this.#targetsFor(inputFormatOf(item.name, this.from)) : [],
      onCancel: (id) => {
        this.cancel(id);
      },
      onRetry: (id) => {
        this.retry(id);
      },
      onRemove: (id) => {
        this.remove(id);
      },
      onConvertAgain: (id, to) => {
        this.convertAgain(id, to);
      },
      brokenPreviews: this.brokenPreviews,
      onPreviewError: (url) => {
        this.brokenPreviews = new Set(this.brokenPreviews).add(url);
      },
    };
  }

  #renderPicker() {
    const choices = this.#pickerChoices();
    if (this.#offeredFormats.length === 0) return nothing;
    return html`<label class="picker">
      <span>${this.#ui.formatPickerLabel}</span>
      <select part="format-picker" ?disabled=${this.disabled} @change=${this.#handleFormatPicked}>
        ${choices.map((format) => html`<option value=${format} ?selected=${format === this.to}>${format.toUpperCase()}</option>`)}
      </select>
    </label>`;
  }

  #renderRejections() {
    if (this.rejections.length === 0) return nothing;
    const ui = this.#ui;
    return html`<div part="rejections" role="group" aria-label=${ui.rejectionsLabel}>
      <ul>
        ${this.rejections.map(
          (rejection) =>
            html`<li>
              <span part="file-name">${displayName(rejection.name)}</span>:
              ${this.#rejectionText(rejection.code)}
            </li>`,
        )}
      </ul>
      <button
        part="button"
        type="button"
        @click=${() => {
          this.rejections = [];
          this.#pickerButton?.focus();
        }}
      >
        ${ui.dismiss}
      </button>
    </div>`;
  }

  override render() {
    const ui = this.#ui;
    return html`
      <div part="base">
        <div
          part="dropzone"
          role="group"
          aria-label=${ui.dropzoneLabel}
          class=${this.dragging ? 'dragging' : ''}
          @dragenter=${this.#handleDragEnter}
          @dragover=${this.#handleDragOver}
          @dragleave=${this.#handleDragLeave}
          @drop=${this.#handleDrop}
        >
          <span>${ui.dropHint}</span>
          <button
            part="button"
            class="primary"
            type="button"
            ?disabled=${this.disabled}
            @click=${this.openPicker}
          >
            ${this.multiple ? ui.chooseFiles : ui.chooseFile}
          </button>
          <input
            class="visually-hidden"
            type="file"
            tabindex="-1"
            aria-hidden="true"
            accept=${this.accept || nothing}
            ?multiple=${this.multiple}
            ?disabled=${this.disabled}
            @change=${this.#handlePicked}
          />
        </div>
        ${this.#renderPicker()} ${this.#renderRejections()}
        ${
          this.snapshot.length > 0
            ? html`<ul
                part="file-list"
                aria-label=${ui.fileListLabel}
                aria-busy=${this.snapshot.some((item) => busyStatuses.has(item.status))}
              ></ul>`
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
