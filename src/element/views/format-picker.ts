import { html } from 'lit';
import type { UiStrings } from '../strings/en.js';

/**
 * The picker of the output format (with `formats`): the choices every waiting file can be converted to. The
 * choice is written to `settings.to`.
 */
export function renderFormatPicker(
  choices: readonly string[],
  settings: { to: string; disabled: boolean },
  ui: UiStrings,
) {
  return html`<label class="picker">
    <span>${ui.formatPickerLabel}</span>
    <select
      part="format-picker"
      ?disabled=${settings.disabled}
      @change=${(event: Event) => {
        settings.to = (event.target as HTMLSelectElement).value;
      }}
    >
      ${choices.map(
        (format) =>
          html`<option value=${format} ?selected=${format === settings.to}>${format.toUpperCase()}</option>`,
      )}
    </select>
  </label>`;
}
