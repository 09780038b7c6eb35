import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { UploadItem } from '../../engine/types.js';

/** Images the browser shows in an `<img>`; larger files get the format icon (decoding them costs too much). */
const shownTypes = /^image\/(png|jpeg|gif|webp|avif|bmp)$/;
const largestThumbnailBytes = 20_000_000;

/**
 * Thumbnails of the image files in the list, made locally: an object URL of the visitor's own file (nothing
 * is read or uploaded for it), freed when the file leaves the list or the element leaves the page (and made
 * again if it comes back).
 */
export class ThumbnailsController implements ReactiveController {
  /** Changes whenever thumbnails were freed: rows rendered with the old URLs must render again. */
  version = 0;
  readonly #files = new Map<string, File>();
  readonly #urls = new Map<string, string>();
  readonly #items: () => readonly UploadItem[];

  constructor(host: ReactiveControllerHost, items: () => readonly UploadItem[]) {
    this.#items = items;
    host.addController(this);
  }

  /** Makes thumbnails for the files just queued, `items[i]` being `files[i]`. */
  add(items: readonly UploadItem[], files: readonly File[]): void {
    items.forEach((item, index) => {
      const file = files[index];
      if (file && shownTypes.test(file.type) && file.size <= largestThumbnailBytes) {
        this.#files.set(item.id, file);
      }
    });
  }

  /** The thumbnail of a file, if it has one. */
  urlOf(id: string): string | undefined {
    const file = this.#files.get(id);
    if (file && !this.#urls.has(id)) this.#urls.set(id, URL.createObjectURL(file));
    return this.#urls.get(id);
  }

  hostUpdated(): void {
    if (this.#files.size === 0) return;
    const present = new Set(this.#items().map((item) => item.id));
    for (const id of this.#files.keys()) {
      if (!present.has(id)) {
        this.#files.delete(id);
        this.#free(id);
      }
    }
  }

  hostDisconnected(): void {
    for (const id of this.#urls.keys()) this.#free(id);
    this.version += 1;
  }

  #free(id: string): void {
    const url = this.#urls.get(id);
    if (url) URL.revokeObjectURL(url);
    this.#urls.delete(id);
  }
}
