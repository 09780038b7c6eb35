import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ConvertEvents, createConvertEvent } from './events.js';
import { formatBytes } from './format.js';
import { en } from './strings/en.js';
import { styles } from './convert-uploader.styles.js';
import type { Provider, UploadItem } from './types.js';

let nextItemId = 0;

/**
 * Drop or pick files and convert them with ConvertAPI or CloudConvert, using short-lived
 * credentials from the host's own token endpoint.
 *
 * @summary An accessible upload-and-convert widget.
 * @status experimental
 * @since 0.1
 *
 * @fires convert-added - Files passed the restrictions and were queued. `detail: { items }`.
 *
 * @csspart base - The element's wrapper.
 * @csspart dropzone - The area that accepts dropped files.
 * @csspart button - The "choose files" button.
 * @csspart file-list - The list of chosen files.
 * @csspart file - One chosen file.
 *
 * @cssprop [--convert-uploader-accent-color=#0b57d0] - Accent of the button, focus ring and drag-over state.
 * @cssprop [--convert-uploader-text-color=CanvasText] - Text colour.
 * @cssprop [--convert-uploader-border-color=#767676] - Border of the drop zone.
 * @cssprop [--convert-uploader-button-text-color=#fff] - Text of the button.
 * @cssprop [--convert-uploader-focus-ring-color] - Focus outline; the accent colour by default.
 * @cssprop [--convert-uploader-dropzone-background=transparent] - Background of the drop zone.
 * @cssprop [--convert-uploader-dropzone-active-background] - Background of the drop zone while files are dragged over it.
 * @cssprop [--convert-uploader-radius=0.5rem] - Corner radius.
 * @cssprop [--convert-uploader-spacing=0.75rem] - Spacing between pieces.
 * @cssprop [--convert-uploader-font-family=inherit] - Font.
 */
export class ConvertUploader extends LitElement {
  static override styles = styles;

  @query('input[type="file"]') private fileInput!: HTMLInputElement;

  @state() private queue: readonly UploadItem[] = [];
  @state() private dragging = false;
  @state() private announcement = '';

  private dragDepth = 0;

  /** The conversion service: `convertapi` or `cloudconvert`. */
  @property({ reflect: true }) provider: Provider = 'convertapi';

  /** URL of the host's token endpoint, which hands out short-lived credentials. */
  @property({ attribute: 'token-endpoint', reflect: true }) tokenEndpoint = '';

  /** Output format, e.g. `pdf`. */
  @property({ reflect: true }) to = '';

  /** Accepted files, like `<input accept>`: extensions and MIME types. */
  @property({ reflect: true }) accept = '';

  /** Allow several files at once. */
  @property({ type: Boolean, reflect: true }) multiple = false;

  /** No input is accepted while set. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** A snapshot of the queued files. */
  get items(): readonly UploadItem[] {
    return this.queue;
  }

  /** Opens the system's file picker. */
  openPicker(): void {
    if (!this.disabled) this.fileInput.click();
  }

  /** Queues files, as if they had been dropped or picked. */
  addFiles(files: Iterable<File> | ArrayLike<File>): readonly UploadItem[] {
    if (this.disabled) return [];
    const chosen = Array.from(files);
    const accepted = this.multiple ? chosen : chosen.slice(0, 1);
    if (accepted.length === 0) return [];
    const added = accepted.map((file) => createItem(file));
    this.queue = this.multiple ? [...this.queue, ...added] : added;
    this.announcement = en.filesAdded(added.length);
    this.dispatchEvent(createConvertEvent(ConvertEvents.added, { items: added }));
    return added;
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

  override render() {
    const strings = en;
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
          <button part="button" type="button" ?disabled=${this.disabled} @click=${this.openPicker}>
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
          this.queue.length > 0
            ? html`<ul part="file-list" aria-label=${strings.fileListLabel}>
                ${repeat(
                  this.queue,
                  (item) => item.id,
                  (item) =>
                    html`<li part="file">
                      <span>${item.name}</span><span>${formatBytes(item.size, this.lang || undefined)}</span>
                    </li>`,
                )}
              </ul>`
            : nothing
        }
        <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      </div>
    `;
  }
}

function createItem(file: File): UploadItem {
  nextItemId += 1;
  return {
    id: `file-${nextItemId}`,
    name: file.name,
    size: file.size,
    type: file.type,
    status: 'queued',
    uploadProgress: 0,
    convertProgress: null,
  };
}

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}
