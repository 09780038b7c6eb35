import type { ReactiveControllerHost } from 'lit';
import { parseSize, type Rejection, type RejectionCode } from '../../engine/restrictions.js';
import { emit } from '../events.js';
import { formatBytes } from '../intl-format.js';
import type { UploaderSettings } from '../settings.js';
import type { UiStrings } from '../strings/en.js';
import { renderRejections, type ShownRejection } from '../views/rejections.js';

type Host = ReactiveControllerHost & HTMLElement & UploaderSettings;
let rejectionCounter = 0;

/**
 * The files the restrictions refused: each reported by `convert-rejected` and listed with its reason until
 * the visitor dismisses the list (then the focus goes to `afterDismiss`).
 */
export class RejectionsController {
  #shown: readonly ShownRejection[] = [];
  readonly #host: Host;
  readonly #afterDismiss: () => HTMLElement | null;

  constructor(host: Host, afterDismiss: () => HTMLElement | null) {
    this.#host = host;
    this.#afterDismiss = afterDismiss;
  }

  /** Reports and lists refused files. */
  show(rejected: readonly Rejection[]): void {
    if (rejected.length === 0) return;
    for (const { file, code } of rejected) {
      emit(this.#host, 'convert-rejected', {
        file: { name: file.name, size: file.size, type: file.type },
        code,
      });
    }
    this.#shown = [
      ...this.#shown,
      ...rejected.map(({ file, code }) => ({ key: ++rejectionCounter, name: file.name, code })),
    ];
    this.#host.requestUpdate();
  }

  /** Empties the list. */
  clear(): void {
    this.#shown = [];
    this.#host.requestUpdate();
  }

  /** Why a file was refused, with the limit it broke, in the visitor's language. */
  #reasonOf(code: RejectionCode, ui: UiStrings, lang: string): string {
    const host = this.#host;
    const limit =
      code === 'file-too-large'
        ? formatBytes(parseSize(host.maxFileSize) ?? 0, lang)
        : new Intl.NumberFormat(lang).format(host.multiple ? (host.maxFiles ?? 0) : 1);
    return ui.rejected[code](limit);
  }

  render(ui: UiStrings, lang: string) {
    return renderRejections(
      this.#shown,
      ui,
      (code) => this.#reasonOf(code, ui, lang),
      () => {
        this.clear();
        this.#afterDismiss()?.focus();
      },
    );
  }
}
