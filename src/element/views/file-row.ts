import { html, nothing } from 'lit';
import { secureUrl } from '../../contract/url-policy.js';
import { displayName } from '../display-name.js';
import { formatBytes, formatPercent, formatTimeUntil } from '../intl-format.js';
import type { UiStrings } from '../strings/en.js';
import { isPending } from '../../engine/status.js';
import type { ConversionResult, UploadItem } from '../../engine/types.js';
const previewFormats: ReadonlySet<string> = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif', 'avif']);

/** A file's actions, as the element's public methods of the same names do them. */
export interface FileActions {
  cancel(id: string): void;
  retry(id: string): void;
  remove(id: string): void;
  convertAgain(id: string, to: string): unknown;
}

/** What a file row needs from its element. */
export interface FileRowContext {
  ui: UiStrings;
  lang: string;
  /** Formats a converted file can be converted to again without a second upload (none: no control). */
  canConvertAgain(item: UploadItem): readonly string[];
  /** What the row's buttons do: the element's own methods. */
  actions: FileActions;
}

function renderProgress(item: UploadItem, { ui, lang }: FileRowContext) {
  if (item.status === 'uploading') {
    return html`<progress
      part="progress"
      max="1"
      .value=${item.uploadProgress}
      aria-label=${ui.uploadProgressLabel(item.name)}
      aria-valuetext=${formatPercent(item.uploadProgress, lang)}
    ></progress>`;
  }
  if (item.status !== 'converting') return nothing;
  // Without a value the bar is indeterminate: the service reports no progress.
  return item.convertProgress === null
    ? html`<progress part="progress" aria-label=${ui.convertProgressLabel(item.name)}></progress>`
    : html`<progress
        part="progress"
        max="1"
        .value=${item.convertProgress}
        aria-label=${ui.convertProgressLabel(item.name)}
        aria-valuetext=${formatPercent(item.convertProgress, lang)}
      ></progress>`;
}

/** A preview that cannot be loaded goes away quietly; the result's link stays. */
function dropPreview(event: Event) {
  (event.target as Element).remove();
}

function renderResult(result: ConversionResult, { ui, lang }: FileRowContext) {
  const size = result.size === undefined ? '' : ` (${formatBytes(result.size, lang)})`;
  const url = secureUrl(result.url);
  const expiresIn = result.expiresAt ? formatTimeUntil(result.expiresAt, lang) : undefined;
  const expiry = result.expiresAt
    ? html`<span part="expiry">${expiresIn ? ui.expiresIn(expiresIn) : ui.expired}</span>`
    : nothing;
  const expired = result.expiresAt !== undefined && expiresIn === undefined;
  if (!url || expired) {
    return html`<li><span part="result">${displayName(result.name)}${size}</span> ${expiry}</li>`;
  }
  return html`<li>
    ${
      previewFormats.has(result.format)
        ? html`<img
            part="preview"
            src=${url.href}
            alt=${ui.previewOf(displayName(result.name))}
            loading="lazy"
            @error=${dropPreview}
          />`
        : nothing
    }
    <a
      part="result"
      href=${url.href}
      download=${displayName(result.name)}
      aria-label=${ui.download(displayName(result.name))}
      >${displayName(result.name)}${size}</a
    >
    ${expiry}
  </li>`;
}

function renderConvertAgain(item: UploadItem, context: FileRowContext) {
  const targets = context.canConvertAgain(item).filter((format) => format !== item.results?.[0]?.format);
  if (targets.length === 0) return nothing;
  const { ui } = context;
  const selectId = `again-${item.id}`;
  return html`<form
    class="again"
    @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      const select = (event.currentTarget as HTMLFormElement).querySelector('select');
      if (select) context.actions.convertAgain(item.id, select.value);
    }}
  >
    <label for=${selectId}>${ui.convertAgainLabel(item.name)}</label>
    <select id=${selectId} part="format-picker">
      ${targets.map((format) => html`<option value=${format}>${format.toUpperCase()}</option>`)}
    </select>
    <button part="button" type="submit">${ui.convertAgain}</button>
  </form>`;
}

function renderActions(item: UploadItem, { ui, actions }: FileRowContext) {
  const working = isPending(item.status);
  return html`<span class="actions">
    ${
      working
        ? html`<button
            part="button"
            type="button"
            aria-label=${ui.cancelFile(item.name)}
            @click=${() => {
              actions.cancel(item.id);
            }}
          >
            ${ui.cancel}
          </button>`
        : nothing
    }
    ${
      item.status === 'error' || item.status === 'canceled'
        ? html`<button
            part="button"
            type="button"
            aria-label=${ui.retryFile(item.name)}
            @click=${() => {
              actions.retry(item.id);
            }}
          >
            ${ui.retry}
          </button>`
        : nothing
    }
    ${
      working
        ? nothing
        : html`<button
            part="button"
            type="button"
            aria-label=${ui.removeFile(item.name)}
            @click=${() => {
              actions.remove(item.id);
            }}
          >
            ${ui.remove}
          </button>`
    }
  </span>`;
}

/** The content of one file's row: name, size, status, actions, progress, error, results. */
export function renderFile(item: UploadItem, context: FileRowContext) {
  const { ui, lang } = context;
  return html`<div class="summary">
      <span part="file-name">${displayName(item.name)}</span>
      <span part="file-size">${formatBytes(item.size, lang)}</span>
      <span part="status">${ui.status[item.status]}</span>
      ${renderActions(item, context)}
    </div>
    ${renderProgress(item, context)} ${item.error ? html`<p part="error">${item.error.message}</p>` : nothing}
    ${
      item.results && item.results.length > 0
        ? html`<ul class="results" aria-label=${ui.resultsLabel(item.name)}>
            ${item.results.map((result) => renderResult(result, context))}
          </ul>`
        : nothing
    }
    ${item.status === 'done' ? renderConvertAgain(item, context) : nothing}`;
}
