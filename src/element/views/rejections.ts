import { html, nothing } from 'lit';
import type { RejectionCode } from '../../engine/restrictions.js';
import { displayName } from '../display-name.js';
import type { UiStrings } from '../strings/en.js';
import { renderButton } from './button.js';

/** A file the restrictions refused, as the list of rejections shows it. */
export interface ShownRejection {
  key: number;
  name: string;
  code: RejectionCode;
}

/** The files that were not added, each with the reason, and a button that dismisses the list. */
export function renderRejections(
  rejections: readonly ShownRejection[],
  ui: UiStrings,
  reasonOf: (code: RejectionCode) => string,
  onDismiss: () => void,
) {
  if (rejections.length === 0) return nothing;
  return html`<div part="rejections" role="group" aria-label=${ui.rejectionsLabel}>
    <ul>
      ${rejections.map(
        (rejection) =>
          html`<li>
            <span part="file-name">${displayName(rejection.name)}</span>: ${reasonOf(rejection.code)}
          </li>`,
      )}
    </ul>
    ${renderButton(ui.dismiss, onDismiss)}
  </div>`;
}
