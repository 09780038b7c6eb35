import { html, nothing } from 'lit';
import { secureUrl } from '../../contract/url-policy.js';
import { displayName } from '../display-name.js';
import { formatBytes, formatDuration, formatPercent, formatTimeUntil } from '../intl-format.js';
import type { UiStrings } from '../strings/en.js';
import { isWorking } from '../../engine/status.js';
import type { ConversionResult, UploadItem } from '../../engine/types.js';
import { renderButton } from './button.js';
import { renderFileIcon } from './file-icon.js';

const previewFormats = /^(png|jpe?g|webp|gif|avif)$/;
/** Formats a browser shows in a tab of its own: with a view link from the service, they get "open" beside "download". */
const viewableFormats = /^(pdf|png|jpe?g|webp|gif|avif|svg|txt)$/;
/** How much of a long name's end stays visible when its middle is cut (`quarterly-re…port-final.docx`). */
const keptEnd = 10;

const downloadIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true">
  <path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M3 13.5h10" />
</svg>`;

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
  /** The thumbnail of a file made from the file itself, when it is an image. */
  thumbnail(id: string): string | undefined;
  /** Seconds an upload has left, once its pace is known. */
  secondsLeft(item: UploadItem): number | undefined;
}

/** While uploading: `42% · 615 kB of 1.6 MB · 7 s left`; while converting, the service's percent if it says. */
function progressText(item: UploadItem, { ui, lang, secondsLeft }: FileRowContext): string {
  if (item.status === 'converting') {
    return item.convertProgress === null ? '' : formatPercent(item.convertProgress, lang);
  }
  if (item.status !== 'uploading') return '';
  const sent = formatBytes(item.size * item.uploadProgress, lang);
  const seconds = secondsLeft(item);
  return [
    formatPercent(item.uploadProgress, lang),
    ui.progressOf(sent, formatBytes(item.size, lang)),
    ...(seconds === undefined ? [] : [ui.timeLeft(formatDuration(seconds, lang))]),
  ].join(' · ');
}

/** A name that may lose its middle, never its end (the extension tells which file it is). */
function renderName(name: string) {
  const shown = displayName(name);
  let cut = Math.max(0, shown.length - keptEnd);
  // Never between the two halves of a character outside the BMP (an emoji).
  if (/[\uDC00-\uDFFF]/.test(shown.charAt(cut))) cut -= 1;
  return html`<span part="file-name" dir="auto" title=${shown}
    ><span class="start">${shown.slice(0, cut)}</span><span class="end">${shown.slice(cut)}</span></span
  >`;
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
  const size = result.size === undefined ? '' : formatBytes(result.size, lang);
  const url = secureUrl(result.url);
  const expiresIn = result.expiresAt ? formatTimeUntil(result.expiresAt, lang) : undefined;
  const expiry = result.expiresAt
    ? html`<span part="expiry">${expiresIn ? ui.expiresIn(expiresIn) : ui.expired}</span>`
    : nothing;
  const expired = result.expiresAt !== undefined && expiresIn === undefined;
  if (!url || expired) {
    return html`<li>
      <span part="result">${displayName(result.name)} <small>${size}</small></span> ${expiry}
    </li>`;
  }
  const name = displayName(result.name);
  const viewUrl = result.viewUrl ? secureUrl(result.viewUrl) : undefined;
  return html`<li>
    ${
      previewFormats.test(result.format)
        ? html`<img
            part="preview"
            src=${url.href}
            alt=${ui.previewOf(name)}
            loading="lazy"
            @error=${dropPreview}
          />`
        : nothing
    }
    <a part="result" href=${url.href} download=${name} aria-label=${ui.download(name)}
      >${downloadIcon}${name}</a
    >
    <small>${size}</small>
    ${
      viewUrl && viewableFormats.test(result.format)
        ? html`<a
            part="open"
            href=${viewUrl.href}
            target="_blank"
            rel="noopener noreferrer"
            aria-label=${ui.openFile(name)}
            >${ui.open}</a
          >`
        : nothing
    }
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
  const { id, name, status } = item;
  // A file at work can be canceled (and stays listed); any other can be removed.
  const working = isWorking(status);
  return html`<span class="actions">
    ${
      working
        ? renderButton(
            ui.cancel,
            () => {
              actions.cancel(id);
            },
            { label: ui.cancelFile(name) },
          )
        : nothing
    }
    ${
      status === 'error' || status === 'canceled'
        ? renderButton(
            ui.retry,
            () => {
              actions.retry(id);
            },
            { primary: true, label: ui.retryFile(name) },
          )
        : nothing
    }
    ${
      working
        ? nothing
        : renderButton(
            ui.remove,
            () => {
              actions.remove(id);
            },
            { label: ui.removeFile(name) },
          )
    }
  </span>`;
}

/** The content of one file's row: picture, name, size, status, actions, progress, error, results. */
export function renderFile(item: UploadItem, context: FileRowContext) {
  const { ui, lang } = context;
  return html`${renderFileIcon(item.name, context.thumbnail(item.id))}
    <div class="head">
      ${renderName(item.name)}
      <span class="meta"
        ><span part="file-size">${formatBytes(item.size, lang)}</span
        ><span part="status">${ui.status[item.status]}</span
        ><span part="progress-text">${progressText(item, context)}</span></span
      >
    </div>
    ${renderActions(item, context)} ${renderProgress(item, context)}
    ${item.error ? html`<p part="error">${item.error.message}</p>` : nothing}
    ${
      item.results && item.results.length > 0
        ? html`<ul class="results" aria-label=${ui.resultsLabel(item.name)}>
            ${item.results.map((result) => renderResult(result, context))}
          </ul>`
        : nothing
    }
    ${item.status === 'done' ? renderConvertAgain(item, context) : nothing}`;
}
