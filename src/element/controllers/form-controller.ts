import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isPending } from '../../engine/status.js';
import type { UploadItem } from '../../engine/types.js';
import type { UiStrings } from '../strings/en.js';

interface FormInputs {
  name: string;
  required: boolean;
  items: readonly UploadItem[];
  ui: UiStrings;
  /** Where the browser points when it reports the element invalid. */
  anchor: HTMLElement | undefined;
}

/**
 * The element as a form field: one form entry per result URL under `name`; invalid while files are still
 * converting (a form cannot be sent half done), and `valueMissing` when `required` and there is no result.
 * Written again before an update whenever one of its inputs changed.
 */
export class FormController implements ReactiveController {
  readonly #internals: ElementInternals;
  readonly #inputs: () => FormInputs;
  #last: FormInputs | undefined;

  constructor(host: ReactiveControllerHost, internals: ElementInternals, inputs: () => FormInputs) {
    this.#internals = internals;
    this.#inputs = inputs;
    host.addController(this);
  }

  hostUpdate(): void {
    const inputs = this.#inputs();
    const last = this.#last;
    if (
      last?.name === inputs.name &&
      last.required === inputs.required &&
      last.items === inputs.items &&
      last.ui === inputs.ui
    )
      return;
    this.#last = inputs;
    const { name, required, items, ui, anchor } = inputs;
    const urls = items.flatMap((item) => (item.results ?? []).map((result) => result.url));
    if (name && urls.length > 0) {
      const data = new FormData();
      for (const url of urls) data.append(name, url);
      this.#internals.setFormValue(data);
    } else {
      this.#internals.setFormValue(null);
    }
    if (items.some((item) => isPending(item.status))) {
      this.#internals.setValidity({ customError: true }, ui.stillConverting, anchor);
    } else if (required && urls.length === 0) {
      this.#internals.setValidity({ valueMissing: true }, ui.valueMissing, anchor);
    } else {
      this.#internals.setValidity({});
    }
  }
}
