import { html, nothing } from 'lit';
import { isSettled, isWorking } from '../../engine/status.js';
import type { UploadItem } from '../../engine/types.js';
import { formatPercent } from '../intl-format.js';
import type { UiStrings } from '../strings/en.js';
import { renderButton } from './button.js';

/** What the bar's buttons do: the element's own methods. */
export interface BatchActions {
  start(): void;
  retry(): void;
  cancel(): void;
  remove(id: string): void;
}

/**
 * The bar under a list of several files (or of files waiting for a start): how many are done of how many,
 * the upload's overall percent, and what can be done to all at once — start (with `auto-start="false"`),
 * retry the failed, cancel what is at work, clear what is finished.
 */
export function renderBatchBar(
  items: readonly UploadItem[],
  options: { ui: UiStrings; lang: string; autoStart: boolean; actions: BatchActions },
  /** Files were taken off the list by "clear finished" (to be announced). */
  onCleared: (count: number) => void,
) {
  const { ui, lang, actions } = options;
  const count = (test: (item: UploadItem) => boolean) => items.filter(test).length;
  const queued = count((item) => item.status === 'queued');
  const working = count((item) => isWorking(item.status));
  const failed = count((item) => item.status === 'error' || item.status === 'canceled');
  const finished = items.filter((item) => isSettled(item.status));
  const startable = !options.autoStart && queued > 0 && working === 0;
  if (items.length < 2 && !startable) return nothing;

  const uploading = items.filter((item) => item.status === 'uploading');
  const totalBytes = uploading.reduce((total, item) => total + item.size, 0);
  const sentBytes = uploading.reduce((total, item) => total + item.size * item.uploadProgress, 0);
  const summary = [
    ui.summary(
      count((item) => item.status === 'done'),
      items.length,
    ),
    ...(failed > 0 ? [ui.failedCount(failed)] : []),
    ...(totalBytes > 0 ? [formatPercent(sentBytes / totalBytes, lang)] : []),
  ].join(' · ');

  return html`<div class="batch" role="group" aria-label=${ui.batchLabel}>
    <span part="summary">${summary}</span>
    <span class="actions">
      ${
        startable
          ? renderButton(
              ui.startFiles(queued),
              () => {
                actions.start();
              },
              { primary: true },
            )
          : nothing
      }
      ${
        failed > 0
          ? renderButton(ui.retryFailed, () => {
              actions.retry();
            })
          : nothing
      }
      ${
        working > 0
          ? renderButton(ui.cancelAll, () => {
              actions.cancel();
            })
          : nothing
      }
      ${
        finished.length > 0
          ? renderButton(ui.clearFinished, () => {
              for (const item of finished) actions.remove(item.id);
              onCleared(finished.length);
            })
          : nothing
      }
    </span>
  </div>`;
}
