import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    background: var(--convert-uploader-background, transparent);
    font-family: var(--convert-uploader-font-family, inherit);
    color: var(--convert-uploader-text-color, #1f1f1f);
    --_accent: var(--convert-uploader-accent-color, #0b57d0);
    --_radius: var(--convert-uploader-radius, 0.5rem);
    --_gap: var(--convert-uploader-spacing, 0.75rem);
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  [part='base'] {
    display: grid;
    gap: var(--_gap);
  }

  [part='dropzone'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    padding: calc(var(--_gap) * 2);
    border: 2px dashed var(--convert-uploader-border-color, #767676);
    border-radius: var(--_radius);
    background: var(--convert-uploader-dropzone-background, transparent);
    text-align: center;
  }

  [part='dropzone'].dragging {
    border-color: var(--_accent);
    background: var(
      --convert-uploader-dropzone-active-background,
      color-mix(in srgb, var(--_accent) 8%, transparent)
    );
  }

  [part='button'],
  [part='format-picker'] {
    font: inherit;
    padding: 0.25em 0.75em;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
  }

  [part='button'] {
    cursor: pointer;
  }

  [part='button'].primary {
    padding: 0.5em 1em;
    background: var(--_accent);
    color: var(--convert-uploader-button-text-color, #fff);
  }

  [part='button']:focus-visible,
  [part='format-picker']:focus-visible {
    outline: 3px solid var(--convert-uploader-focus-ring-color, var(--_accent));
    outline-offset: 2px;
  }

  [part='button']:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  [part='file-list'],
  [part='file'] {
    display: grid;
    gap: 0.35em;
    padding: 0.5em 0.75em;
    border: 1px solid var(--convert-uploader-border-color, #767676);
    border-radius: var(--_radius);
  }

  .summary,
  .results li,
  .summary {
    gap: 0.25em 1em;
  }

  [part='file-name'] {
    unicode-bidi: isolate;
    flex: 1 1 12em;
    min-width: 0;
    overflow-wrap: anywhere;
    font-weight: 600;
  }

  [part='file-size'],
  [part='status'],
  [part='expiry'] {
    color: var(--convert-uploader-muted-color, #5f6368);
    font-variant-numeric: tabular-nums;
  }

  .actions {
    display: inline-flex;
    gap: 0.5em;
  }

  [part='progress'] {
    width: 100%;
    height: 0.5em;
    accent-color: var(--_accent);
  }

  [part='error'] {
    margin: 0;
    color: var(--convert-uploader-error-color, #b3261e);
  }

  .results li {
    gap: 0.25em 0.75em;
  }

  [part='preview'] {
    max-width: var(--convert-uploader-preview-size, 6rem);
    max-height: var(--convert-uploader-preview-size, 6rem);
    border-radius: calc(var(--_radius) / 2);
    object-fit: contain;
  }

  [part='format-picker'] {
    padding-inline: 0.5em;
    border-color: var(--convert-uploader-border-color, #767676);
  }

  [part='rejections'] {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: 0.5em;
    padding: 0.5em 0.75em;
    border-inline-start: 4px solid var(--convert-uploader-error-color, #b3261e);
    color: var(--convert-uploader-error-color, #b3261e);
  }

  [part='rejections'] ul {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  [part='result'] {
    color: var(--_accent);
    overflow-wrap: anywhere;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  @media (prefers-color-scheme: dark) {
    /* Dark text colours need a dark ground: the element brings its own, whatever the page's. */
    :host {
      --_accent: var(--convert-uploader-accent-color, #a8c7fa);
      color: var(--convert-uploader-text-color, #e3e3e3);
      background: var(--convert-uploader-background, #1f1f1f);
      border-radius: var(--_radius);
    }
    [part='button'].primary {
      color: var(--convert-uploader-button-text-color, #041e49);
    }
    [part='file-size'],
    [part='status'],
    [part='expiry'] {
      color: var(--convert-uploader-muted-color, #bdc1c6);
    }
    [part='error'] {
      color: var(--convert-uploader-error-color, #f2b8b5);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }

  @media (forced-colors: active) {
    :host {
      color: CanvasText;
      background: Canvas;
    }
    [part='button'],
    [part='button'].primary {
      border-color: ButtonText;
      background: ButtonFace;
      color: ButtonText;
    }
    [part='result'] {
      color: LinkText;
    }
    [part='dropzone'].dragging {
      border-color: Highlight;
    }
  }
`;
