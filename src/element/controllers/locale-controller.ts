import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { en, withOverrides, type StringOverrides, type UiStrings } from '../strings/en.js';
import { stringsFor } from '../strings/index.js';

/**
 * The UI language of an element: its own `lang`, else the nearest ancestor's, else the document's. Loads that
 * language's strings, follows later changes of its own and the document's `lang`, and merges the page's
 * overrides in. `ui` is computed before each update and only then: reading it has no effect.
 */
export class LocaleController implements ReactiveController {
  /** The resolved language tag, for `Intl` formatting. */
  lang = 'en';
  /** The strings the element shows: the language's, with the page's overrides. */
  ui: UiStrings = en;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #overrides: () => StringOverrides;
  readonly #onChange: () => void;
  #strings: UiStrings = en;
  #merged: { strings: UiStrings; overrides: StringOverrides } | undefined;
  #observer: MutationObserver | undefined;
  #loading = 0;

  /**
   * @param overrides The page's overrides (the element's `strings`).
   * @param onChange Called when `ui` changed after the first time: texts made earlier (the items' error
   *   messages) are in the old language and must be made again.
   */
  constructor(
    host: ReactiveControllerHost & HTMLElement,
    overrides: () => StringOverrides,
    onChange: () => void,
  ) {
    this.#host = host;
    this.#overrides = overrides;
    this.#onChange = onChange;
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

  hostUpdate(): void {
    const overrides = this.#overrides();
    const merged = this.#merged;
    if (merged?.strings === this.#strings && merged.overrides === overrides) return;
    this.#merged = { strings: this.#strings, overrides };
    this.ui = withOverrides(this.#strings, overrides);
    if (merged) this.#onChange();
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
      this.#strings = strings;
      this.#host.requestUpdate();
    });
  }
}
