import { render } from 'lit';
import { renderFile, type FileRowContext } from './file-row.js';
import type { UploadItem } from '../engine/types.js';

interface Row {
  readonly element: HTMLLIElement;
  item: UploadItem;
  inputs: readonly unknown[];
  /** The minute its expiry texts were written in (rows with results only). */
  minute: number;
}

/**
 * The file list's rows: one `<li>` per file, kept by id, so that a row (and the focus inside it)
 * stays with its file while others come and go; a row is rendered again only when its item or one
 * of the shared inputs changed, or, when it shows results, the minute. Lit's `repeat` and `guard`
 * directives do the same for 0.8 KB more of the CDN bundle.
 */
export class FileRows {
  #list: Element | null = null;
  readonly #rows = new Map<string, Row>();

  /**
   * Makes `list`'s children the rows of `items`, in order. `inputs` are what every row depends on
   * besides its item (strings, language, catalogue…), compared entry by entry.
   */
  update(
    list: Element | null,
    items: readonly UploadItem[],
    context: FileRowContext,
    inputs: readonly unknown[],
  ): void {
    if (list !== this.#list) this.#rows.clear();
    this.#list = list;
    if (!list) return;
    const wanted = new Set(items.map((item) => item.id));
    for (const [id, row] of this.#rows) {
      if (wanted.has(id)) continue;
      row.element.remove();
      this.#rows.delete(id);
    }
    const minute = Math.floor(Date.now() / 60_000);
    let cursor = list.firstChild;
    for (const item of items) {
      let row = this.#rows.get(item.id);
      if (!row) {
        const element = document.createElement('li');
        element.setAttribute('part', 'file');
        row = { element, item, inputs: [], minute };
        this.#rows.set(item.id, row);
      }
      const stale =
        row.inputs.length === 0 ||
        row.item !== item ||
        inputs.some((input, index) => input !== row.inputs[index]) ||
        (item.results !== undefined && row.minute !== minute);
      if (stale) {
        row.item = item;
        row.inputs = inputs;
        row.minute = minute;
        row.element.dataset['status'] = item.status;
        render(renderFile(item, context), row.element);
      }
      if (row.element === cursor) cursor = cursor.nextSibling;
      else list.insertBefore(row.element, cursor);
    }
    // Whatever follows the rows (the template's own whitespace, say) is not part of the list.
    while (cursor) {
      const next: ChildNode | null = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
  }
}
