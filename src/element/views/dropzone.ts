import { html, nothing } from 'lit';
import type { InputController } from '../controllers/input-controller.js';
import type { UiStrings } from '../strings/en.js';

/** The drop zone: the hint, the button that opens the system's picker, and the (hidden) file input. */
export function renderDropzone(
  ui: UiStrings,
  input: InputController,
  options: { accept: string; multiple: boolean; disabled: boolean; openPicker(): void },
) {
  return html`<div
    part="dropzone"
    role="group"
    aria-label=${ui.dropzoneLabel}
    class=${input.dragging ? 'dragging' : ''}
    @dragenter=${input.dragEnter}
    @dragover=${input.dragOver}
    @dragleave=${input.dragLeave}
    @drop=${input.drop}
  >
    <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 15V4M7.5 8.5 12 4l4.5 4.5M4 14.5V18a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3.5" />
    </svg>
    <span>${ui.dropHint}</span>
    <button
      part="button"
      class="primary"
      type="button"
      ?disabled=${options.disabled}
      @click=${options.openPicker}
    >
      ${options.multiple ? ui.chooseFiles : ui.chooseFile}
    </button>
    <input
      class="visually-hidden"
      type="file"
      tabindex="-1"
      aria-hidden="true"
      accept=${options.accept || nothing}
      ?multiple=${options.multiple}
      ?disabled=${options.disabled}
      @change=${input.picked}
    />
  </div>`;
}
