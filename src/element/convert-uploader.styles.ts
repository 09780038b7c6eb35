import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--convert-uploader-font-family, inherit);
    color: var(--convert-uploader-text-color, CanvasText);
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

  [part='button'] {
    font: inherit;
    padding: 0.5em 1em;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--convert-uploader-button-text-color, #fff);
    cursor: pointer;
  }

  [part='button']:focus-visible {
    outline: 3px solid var(--convert-uploader-focus-ring-color, var(--_accent));
    outline-offset: 2px;
  }

  [part='button']:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  [part='file-list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25em;
  }

  [part='file'] {
    display: flex;
    justify-content: space-between;
    gap: 1em;
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
    :host {
      --_accent: var(--convert-uploader-accent-color, #a8c7fa);
    }
    [part='button'] {
      color: var(--convert-uploader-button-text-color, #041e49);
    }
  }

  @media (forced-colors: active) {
    [part='button'] {
      border-color: ButtonText;
      background: ButtonFace;
      color: ButtonText;
    }
    [part='dropzone'].dragging {
      border-color: Highlight;
    }
  }
`;
