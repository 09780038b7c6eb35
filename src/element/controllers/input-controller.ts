import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { applyRestrictions, parseSize } from '../../engine/restrictions.js';
import type { UploaderSettings } from '../settings.js';

type Host = ReactiveControllerHost &
  HTMLElement &
  UploaderSettings & {
    readonly items: readonly unknown[];
    addFiles(files: Iterable<File> | ArrayLike<File>): unknown;
  };

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * How files come in: pasted anywhere in the element, dragged onto its drop zone (folders walked by a module
 * loaded on the first folder drop), or picked in the system's dialog. Every path ends in `host.addFiles`.
 */
export class InputController implements ReactiveController {
  /** Files are being dragged over the drop zone. */
  dragging = false;
  #dragDepth = 0;
  readonly #host: Host;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener('paste', this.#paste);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('paste', this.#paste);
  }

  readonly #paste = (event: ClipboardEvent): void => {
    const files = event.clipboardData?.files;
    if (this.#host.disabled || !files || files.length === 0) return;
    event.preventDefault();
    this.#host.addFiles(files);
  };

  readonly picked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    if (input.files) this.#host.addFiles(input.files);
    input.value = '';
  };

  readonly dragEnter = (event: DragEvent): void => {
    if (this.#host.disabled || !hasFiles(event)) return;
    event.preventDefault();
    this.#dragDepth += 1;
    this.#setDragging(true);
  };

  readonly dragOver = (event: DragEvent): void => {
    if (this.#host.disabled || !hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  readonly dragLeave = (): void => {
    this.#dragDepth = Math.max(0, this.#dragDepth - 1);
    if (this.#dragDepth === 0) this.#setDragging(false);
  };

  readonly drop = (event: DragEvent): void => {
    this.#dragDepth = 0;
    this.#setDragging(false);
    const transfer = event.dataTransfer;
    const host = this.#host;
    if (host.disabled || !transfer) return;
    event.preventDefault();
    // Entries can only be taken while the event lasts; folders are walked afterwards.
    const files = [...transfer.files];
    const entries = [...transfer.items]
      .filter((item) => item.kind === 'file')
      .map((item) => item.webkitGetAsEntry());
    if (!entries.some((entry) => entry?.isDirectory)) {
      host.addFiles(files);
      return;
    }
    const room = host.multiple ? (host.maxFiles ?? 1000) - host.items.length + 1 : 2;
    // Files the restrictions refuse are still listed (with the reason) but leave the room to others.
    const maxFileSize = parseSize(host.maxFileSize);
    const usesRoom = (file: File) =>
      applyRestrictions([file], { accept: host.accept, maxFileSize }).accepted.length === 1;
    void import('../dropped-folders.js')
      .then(({ filesOfEntries }) => filesOfEntries(entries, Math.max(1, room), usesRoom))
      // Without the folder walker (its chunk did not load), the drop's plain files still come in.
      .catch(() => files.filter((_, index) => entries[index]?.isFile))
      .then((found) => host.addFiles(found));
  };

  #setDragging(dragging: boolean): void {
    if (this.dragging === dragging) return;
    this.dragging = dragging;
    this.#host.requestUpdate();
  }
}
