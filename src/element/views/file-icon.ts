import { html } from 'lit';
import { fileExtension } from '../../contract/file-name.js';

/** Families of formats, each with its own colour (styles: `.icon[data-kind]`). */
const kinds: ReadonlyArray<readonly [string, RegExp]> = [
  ['pdf', /^pdf$/],
  ['doc', /^(docx?|odt|rtf|txt|md|html?|epub)$/],
  ['sheet', /^(xlsx?|ods|csv|tsv)$/],
  ['slide', /^(pptx?|odp|key)$/],
  ['image', /^(png|jpe?g|gif|webp|avif|svg|bmp|tiff?|heic)$/],
];

/** The colour family of a file's format: `pdf`, `doc`, `sheet`, `slide`, `image`, or `` for others. */
export const kindOf = (format: string) => kinds.find(([, pattern]) => pattern.test(format))?.[0] ?? '';

/**
 * A file's picture in its row: the thumbnail made from the file when there is one, else a page shape with
 * its format (DOCX, PNG…) in the colour of its family. Decorative: the row names the file.
 */
export function renderFileIcon(name: string, thumbnail: string | undefined) {
  if (thumbnail) return html`<img part="thumbnail" class="icon" src=${thumbnail} alt="" />`;
  const format = fileExtension(name);
  return html`<span part="icon" class="icon" data-kind=${kindOf(format)} aria-hidden="true"
    >${format.slice(0, 4).toUpperCase()}</span
  >`;
}
