import { html, nothing } from 'lit';
import { applyRestrictions, parseSize } from '../engine/restrictions.js';
import type { TokenProvider } from '../engine/credential-source.js';
import type { Provider, UploadItem } from '../engine/types.js';
import { AnnouncerController } from './controllers/announcer-controller.js';
import { CatalogueController } from './controllers/catalogue-controller.js';
import { FileListController } from './controllers/file-list-controller.js';
import { FormController } from './controllers/form-controller.js';
import { InputController } from './controllers/input-controller.js';
import { LocaleController } from './controllers/locale-controller.js';
import { QueueController } from './controllers/queue-controller.js';
import { RejectionsController } from './controllers/rejections-controller.js';
import { emit } from './events.js';
import { FormAssociatedElement } from './form-associated-element.js';
import { offeredFormats, type UploaderSettings } from './settings.js';
import type { StringOverrides } from './strings/en.js';
import { styles } from './convert-uploader.styles.js';
import { renderDropzone } from './views/dropzone.js';
import { renderFormatPicker } from './views/format-picker.js';

/** `auto-start="false"` turns it off; the attribute's absence or any other value keeps it on. */
const notFalse = { fromAttribute: (value: string | null) => value !== 'false' };

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
 * @csspart button - Every button: "choose files", each file's actions and the batch actions under several files.
 * @csspart format-picker - The output format picker (with `formats`).
 * @csspart file-list - The list of files.
 * @csspart file - One file: icon or thumbnail, name, size, status, progress, results or error.
 * @csspart icon - A file's format icon (its extension on a page shape, coloured by kind).
 * @csspart thumbnail - A thumbnail of an image file, made locally from the file.
 * @csspart file-name - A file's name.
 * @csspart file-size - A file's size.
 * @csspart status - A file's status badge.
 * @csspart progress - A progress bar (upload or conversion).
 * @csspart progress-text - Percent, bytes sent of total and time left while uploading; the service's percent while converting.
 * @csspart result - One result's download link.
 * @csspart open - A link that opens a result the browser can show (PDF, images, text) in a new tab.
 * @csspart preview - The preview of an image result.
 * @csspart expiry - When a result link expires.
 * @csspart error - The message of a failed file.
 * @csspart rejections - The list of files that were not added, with the reasons.
 * @csspart summary - Under several files: how many are done of how many, and the overall upload percent.
 *
 * @cssprop [--convert-uploader-accent-color=#0b57d0] - Accent of buttons, links, progress, focus ring and drag-over state (`#a8c7fa` in dark mode).
 * @cssprop [--convert-uploader-text-color=#1f1f1f] - Text colour (`#e3e3e3` in dark mode).
 * @cssprop [--convert-uploader-background=transparent] - Background of the element (`#1f1f1f` in dark mode).
 * @cssprop [--convert-uploader-muted-color=#5f6368] - Secondary text (sizes, statuses; `#c4c7c5` in dark mode).
 * @cssprop [--convert-uploader-error-color=#b3261e] - Error messages, failed rows and PDF icons (`#f2b8b5` in dark mode).
 * @cssprop [--convert-uploader-border-color=#c4c7c5] - Border of the drop zone, file rows and buttons (`#5e5f62` in dark mode).
 * @cssprop [--convert-uploader-surface-color=#fff] - Background of file rows (`#28292c` in dark mode).
 * @cssprop [--convert-uploader-success-color=#146c2e] - Done badges and spreadsheet icons (`#6dd58c` in dark mode).
 * @cssprop [--convert-uploader-converting-color=#6750a4] - Conversion progress and badge (`#d0bcff` in dark mode).
 * @cssprop [--convert-uploader-button-text-color=#fff] - Text on accent-coloured buttons (`#062e6f` in dark mode).
 * @cssprop [--convert-uploader-focus-ring-color] - Focus outline; the accent colour by default.
 * @cssprop [--convert-uploader-dropzone-background=transparent] - Background of the drop zone.
 * @cssprop [--convert-uploader-dropzone-active-background] - Background of the drop zone while files are dragged over it.
 * @cssprop [--convert-uploader-radius=0.625rem] - Corner radius.
 * @cssprop [--convert-uploader-spacing=0.75rem] - Spacing between pieces.
 * @cssprop [--convert-uploader-font-family=inherit] - Font.
 * @cssprop [--convert-uploader-preview-size=6rem] - Largest side of an image preview.
 */
export class ConvertUploader extends FormAssociatedElement implements UploaderSettings {
  static override styles = styles;

  // Declared here rather than by decorators (see docs/decisions.md).
  static override properties = {
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
    layout: { reflect: true },
    tokenProvider: { attribute: false },
    parameters: { attribute: false },
    strings: { attribute: false },
  };

  readonly #locale = new LocaleController(
    this,
    () => this.strings,
    () => {
      this.#files.queue.refreshMessages();
    },
  );
  readonly #files: QueueController = new QueueController(this, {
    messageFor: (error) => this.#locale.ui.errors[error.code],
    onItemsChanged: (previous) => {
      this.#announcer.itemsChanged(previous, this.#files.items, this.#locale.ui);
    },
  });
  readonly #catalogue = new CatalogueController(this, () => ({
    adapter: this.#files.adapter,
    items: this.items,
  }));
  readonly #input = new InputController(this);
  readonly #announcer = new AnnouncerController(this, () => this.#pickerButton);
  readonly #rejections = new RejectionsController(this, () => this.#pickerButton);
  readonly #list = new FileListController(this, this.#files, this.#catalogue, this.#announcer);

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
  /** `compact`: a one-line drop zone and tighter rows, for forms; `default` otherwise. */
  layout: 'default' | 'compact' = 'default';
  /** Replaces the token endpoint: a function of the page that returns a token response. */
  tokenProvider: TokenProvider | undefined;
  /** Conversion options passed to the service (ConvertAPI parameters, CloudConvert convert-task options). */
  parameters: Readonly<Record<string, unknown>> = {};
  /** Overrides of the UI text (any entry; nested maps such as `errors` entry by entry). */
  strings: StringOverrides = {};

  constructor() {
    super();
    new FormController(this, this.internals, () => ({
      name: this.name,
      required: this.required,
      items: this.items,
      ui: this.#locale.ui,
      anchor: this.#pickerButton ?? undefined,
    }));
  }

  /** A snapshot of the queue. */
  get items(): readonly UploadItem[] {
    return this.#files.items;
  }

  get #pickerButton(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('[part="dropzone"] button');
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('to') && changed.get('to') !== undefined) this.#files.queue.retarget(this.to);
    if (changed.has('formats') && !this.to) this.to = offeredFormats(this).at(0) ?? '';
  }

  /** Called by the form when it is reset: empties the list. */
  formResetCallback(): void {
    this.clear();
    this.#rejections.clear();
  }

  /** Called when a surrounding fieldset is disabled or enabled. */
  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  /** Opens the system's file picker. */
  openPicker(): void {
    if (!this.disabled) this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  }

  /**
   * Checks files against the restrictions, queues those that pass (firing `convert-added`) and
   * reports the others (firing `convert-rejected`); returns the queued items.
   */
  addFiles(files: Iterable<File> | ArrayLike<File>): readonly UploadItem[] {
    const chosen = Array.from(files);
    if (this.disabled || chosen.length === 0) return [];
    // A single-file element replaces its file, even with one the restrictions then refuse.
    if (!this.multiple) this.#files.queue.clear();
    const { accepted, rejected } = applyRestrictions(chosen, {
      accept: this.accept,
      maxFileSize: parseSize(this.maxFileSize),
      maxFiles: this.multiple ? this.maxFiles : 1,
      alreadyQueued: this.multiple ? this.items.length : 0,
    });
    this.#rejections.show(rejected);
    if (accepted.length === 0) return [];
    const added = this.#files.queue.add(accepted);
    this.#list.added(added, accepted);
    this.#announcer.say(this.#locale.ui.filesAdded(added.length));
    emit(this, 'convert-added', { items: added });
    if (this.autoStart) this.start();
    else if (offeredFormats(this).length > 0) void this.#catalogue.flagUnsupported(added, this.#files.queue);
    return added;
  }

  /** Starts the queued files (needed only with `auto-start="false"`). */
  start(): void {
    this.#files.queue.start();
  }

  /** Cancels one file, or every file still waiting or working. */
  cancel(id?: string): void {
    this.#files.queue.cancel(id);
  }

  /** Tries a failed or canceled file again, or all of them. */
  retry(id?: string): void {
    this.#files.queue.retry(id);
  }

  /**
   * Converts a converted file again to another format, without uploading it again (ConvertAPI
   * reuses the upload, kept three hours; CloudConvert's new job imports the file's export, kept a
   * day). Returns the new item, or undefined when that is not possible.
   */
  convertAgain(id: string, to: string): UploadItem | undefined {
    const item = this.#files.queue.reconvert(id, to);
    if (item && this.autoStart) this.start();
    return item;
  }

  /**
   * Removes a file from the list (canceling it if it is working). Without an id it does what
   * `remove()` does on every element: takes the element out of the page.
   */
  override remove(id?: string): void {
    if (id === undefined) super.remove();
    else this.#files.queue.remove(id);
  }

  /** Empties the list, canceling whatever is working. */
  clear(): void {
    this.#files.queue.clear();
  }

  override render() {
    const { ui, lang } = this.#locale;
    const formatsOffered = offeredFormats(this).length > 0;
    return html`
      <div part="base">
        ${renderDropzone(ui, this.#input, this)}
        ${formatsOffered ? renderFormatPicker(this.#catalogue.pickerChoices(this.items), this, ui) : nothing}
        ${this.#rejections.render(ui, lang)} ${this.#list.render(ui, lang)}
        <div class="visually-hidden" role="status" aria-live="polite">${this.#announcer.text}</div>
      </div>
    `;
  }
}
