import { html, type ReactiveControllerHost } from 'lit';
import type { UploadItem } from '../../engine/types.js';
import type { UiStrings } from '../strings/en.js';
import { UploadPace } from '../upload-pace.js';
import { renderBatchBar, type BatchActions } from '../views/batch-bar.js';
import { renderFileList } from '../views/file-list.js';
import type { FileActions } from '../views/file-row.js';
import type { CatalogueController } from './catalogue-controller.js';
import { MinuteClock } from './minute-clock.js';
import type { QueueController } from './queue-controller.js';
import { ThumbnailsController } from './thumbnails-controller.js';

type Host = ReactiveControllerHost & HTMLElement & FileActions & BatchActions & { autoStart: boolean };

/**
 * The files as the visitor sees them: the rows (with thumbnails of images and the time an upload has left)
 * and, under several files, the batch bar. The element's own methods do what their buttons say.
 */
export class FileListController {
  readonly #host: Host;
  readonly #files: QueueController;
  readonly #catalogue: CatalogueController;
  readonly #announcer: { say(text: string): void };
  readonly #thumbnails: ThumbnailsController;
  readonly #pace = new UploadPace();

  constructor(
    host: Host,
    files: QueueController,
    catalogue: CatalogueController,
    announcer: { say(text: string): void },
  ) {
    this.#host = host;
    this.#files = files;
    this.#catalogue = catalogue;
    this.#announcer = announcer;
    this.#thumbnails = new ThumbnailsController(host, () => this.#files.items);
    // Keeps "link expires in …" current while results are shown.
    new MinuteClock(host, () => this.#files.items.some((item) => item.results?.length));
  }

  /** Files were just queued, `items[i]` being `files[i]`. */
  added(items: readonly UploadItem[], files: readonly File[]): void {
    this.#thumbnails.add(items, files);
  }

  render(ui: UiStrings, lang: string) {
    const host = this.#host;
    const { items, queue, shownRows } = this.#files;
    const context = {
      ui,
      lang,
      canConvertAgain: (item: UploadItem) =>
        queue.canReconvert(item.id) ? this.#catalogue.targetsFor(item) : [],
      actions: host,
      thumbnail: (id: string) => this.#thumbnails.urlOf(id),
      secondsLeft: (item: UploadItem) => this.#pace.secondsLeft(item),
    };
    const inputs = [ui, lang, this.#catalogue.version, this.#thumbnails.version];
    return html`${renderFileList(items.slice(0, shownRows), context, inputs)}
    ${renderBatchBar(items, { ui, lang, autoStart: host.autoStart, actions: host }, (count) => {
      this.#announcer.say(ui.filesRemoved(count));
    })}`;
  }
}
