import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, type UiStrings } from './strings/en.js';
import { stringsFor } from './strings/index.js';

/**
 * The UI language of an element: its own `lang`, else the nearest ancestor's, else the document's.
 * Loads that language's strings and follows later changes of its own and the document's `lang`.
 */
export class LocaleController implements ReactiveController {
  /** The resolved language tag, for `Intl` formatting. */
  lang = 'en';
  strings: UiStrings = en;

  readonly #host: ReactiveControllerHost & HTMLElement;
  #observer: MutationObserver | undefined;
  #loading = 0;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer = new MutationObserver(() => {
      this.refresh();
    });
    this.#observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    this.#observer.observe(this.#host, { attributes: true, attributeFilter: ['lang'] });
    this.refresh();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }

  /** Re-reads the language (call when the element's own `lang` changed). */
  refresh(): void {
    const lang = this.#host.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
    if (lang === this.lang && this.#loading === 0) return;
    this.lang = lang;
    const ticket = ++this.#loading;
    void stringsFor(lang).then((strings) => {
      if (ticket !== this.#loading) return;
      this.#loading = 0;
      this.strings = strings;
      this.#host.requestUpdate();
    });
  }
}
