import { html, nothing } from 'lit';

/**
 * A button of the element (`part="button"`). `primary` marks the obvious action of its place; `label` names
 * it for assistive technology when the visible text alone would be ambiguous ("Retry report.txt").
 */
export function renderButton(
  text: string,
  onClick: () => void,
  options: { primary?: boolean; label?: string } = {},
) {
  return html`<button
    part="button"
    class=${options.primary ? 'primary' : nothing}
    type="button"
    aria-label=${options.label ?? nothing}
    @click=${onClick}
  >
    ${text}
  </button>`;
}
