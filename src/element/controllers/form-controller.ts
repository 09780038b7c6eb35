import type { UiStrings } from './strings/en.js';
import type { UploadItem } from '../engine/types.js';

const busyStatuses = new Set(['queued', 'authorizing', 'uploading', 'converting']);

/**
 * Sets a form-associated element's value and validity from its items: one form entry per result
 * URL under `name`; invalid while files are still converting (a form cannot be sent half done),
 * and `valueMissing` when `required` and there is no result.
 */
export function updateFormValue(
  internals: ElementInternals,
  options: {
    name: string;
    required: boolean;
    items: readonly UploadItem[];
    strings: UiStrings;
    anchor?: HTMLElement;
  },
): void {
  const urls = options.items.flatMap((item) => (item.results ?? []).map((result) => result.url));
  if (options.name && urls.length > 0) {
    const data = new FormData();
    for (const url of urls) data.append(options.name, url);
    internals.setFormValue(data);
  } else {
    internals.setFormValue(null);
  }
  if (options.items.some((item) => busyStatuses.has(item.status))) {
    internals.setValidity({ customError: true }, options.strings.stillConverting, options.anchor);
  } else if (options.required && urls.length === 0) {
    internals.setValidity({ valueMissing: true }, options.strings.valueMissing, options.anchor);
  } else {
    internals.setValidity({});
  }
}
