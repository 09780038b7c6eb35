import { html, nothing } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { isPending } from '../../engine/status.js';
import type { UploadItem } from '../../engine/types.js';
import { renderFile, type FileRowContext } from './file-row.js';

/**
 * The list of files: one row per file, kept by id (`repeat`), so that a row and the focus inside it stay with
 * their file while others come and go. A row is rendered again only when its item, a shared input (`inputs`:
 * strings, language, catalogue…) or, for a row with results, the minute changes (`guard`): with 1,000 rows,
 * a progress frame renders one.
 */
export function renderFileList(
  items: readonly UploadItem[],
  context: FileRowContext,
  inputs: readonly unknown[],
) {
  if (items.length === 0) return nothing;
  const minute = Math.floor(Date.now() / 60_000);
  return html`<ul
    part="file-list"
    aria-label=${context.ui.fileListLabel}
    aria-busy=${items.some((item) => isPending(item.status))}
  >
    ${repeat(
      items,
      (item) => item.id,
      (item) =>
        html`<li part="file" data-status=${item.status}>
          ${guard([item, item.results ? minute : 0, ...inputs], () => renderFile(item, context))}
        </li>`,
    )}
  </ul>`;
}
