import { css } from 'lit';

// Each public `--convert-uploader-*` property is read once, into a private `--_*` one that the rules use;
// the defaults (`--_d-*`) are the only thing a colour scheme changes.
export const styles = css`
  :host {
    --_d-fg: #1f1f1f;
    --_d-bg: transparent;
    --_d-surface: #fff;
    --_d-muted: #5f6368;
    --_d-border: #c4c7c5;
    --_d-accent: #0b57d0;
    --_d-on-accent: #fff;
    --_d-ok: #146c2e;
    --_d-error: #b3261e;
    --_d-converting: #6750a4;
    --_fg: var(--convert-uploader-text-color, var(--_d-fg));
    --_surface: var(--convert-uploader-surface-color, var(--_d-surface));
    --_muted: var(--convert-uploader-muted-color, var(--_d-muted));
    --_border: var(--convert-uploader-border-color, var(--_d-border));
    --_accent: var(--convert-uploader-accent-color, var(--_d-accent));
    --_on-accent: var(--convert-uploader-button-text-color, var(--_d-on-accent));
    --_ok: var(--convert-uploader-success-color, var(--_d-ok));
    --_error: var(--convert-uploader-error-color, var(--_d-error));
    --_converting: var(--convert-uploader-converting-color, var(--_d-converting));
    --_ring: var(--convert-uploader-focus-ring-color, var(--_accent));
    --_radius: var(--convert-uploader-radius, 0.625rem);
    --_gap: var(--convert-uploader-spacing, 0.75rem);
    display: block;
    container-type: inline-size;
    box-sizing: border-box;
    color: var(--_fg);
    background: var(--convert-uploader-background, var(--_d-bg));
    font-family: var(--convert-uploader-font-family, inherit);
    line-height: 1.4;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_d-fg: #e3e3e3;
      --_d-bg: #1f1f1f;
      --_d-surface: #28292c;
      --_d-muted: #c4c7c5;
      --_d-border: #5e5f62;
      --_d-accent: #a8c7fa;
      --_d-on-accent: #062e6f;
      --_d-ok: #6dd58c;
      --_d-error: #f2b8b5;
      --_d-converting: #d0bcff;
      border-radius: var(--_radius);
    }
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

  svg {
    width: 1em;
    height: 1em;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  [part='dropzone'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.5em 0.75em;
    padding: 1.5em var(--_gap);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--convert-uploader-dropzone-background, transparent);
    text-align: center;
    transition:
      border-color 0.15s,
      background-color 0.15s;
  }

  .drop-icon {
    flex-basis: 100%;
    height: 2rem;
    color: var(--_accent);
  }

  .dragging {
    border-style: solid;
    border-color: var(--_accent);
    background: var(
      --convert-uploader-dropzone-active-background,
      color-mix(in srgb, var(--_accent) 10%, transparent)
    );
  }

  .dragging .drop-icon {
    animation: lift 0.5s ease-in-out infinite alternate;
  }

  :host([layout='compact']) [part='dropzone'] {
    flex-wrap: nowrap;
    justify-content: start;
    padding: 0.5em 0.75em;
    text-align: start;
  }

  :host([layout='compact']) .drop-icon {
    flex-basis: auto;
    width: 1.5rem;
  }

  :host([layout='compact']) [part='file'] {
    padding-block: 0.375em;
  }

  :host([layout='compact']) .icon {
    width: 2rem;
    height: 2rem;
  }

  /* Not faded: the hint must stay readable; the button shows it cannot be used. */
  :host([disabled]) [part='dropzone'] {
    color: var(--_muted);
  }

  :host([disabled]) .drop-icon {
    color: inherit;
  }

  button,
  select,
  a {
    font: inherit;
    color: inherit;
  }

  [part='button'],
  [part='format-picker'] {
    min-height: 2.25rem;
    padding: 0.25em 0.875em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    font-size: 0.875em;
    font-weight: 500;
  }

  [part='button'] {
    cursor: pointer;
  }

  [part='button']:hover,
  [part='result']:hover {
    background: color-mix(in srgb, var(--_accent) 18%, transparent);
  }

  .primary,
  .primary:hover {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }

  :focus-visible {
    outline: 3px solid var(--_ring);
    outline-offset: 2px;
  }

  [part='button']:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  .picker,
  .again,
  .results li,
  .batch,
  .actions,
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.375em 0.625em;
  }

  [part='file-list'],
  .results {
    display: grid;
    gap: 0.5em;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  [part='file'] {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    align-items: center;
    gap: 0.5em 0.75em;
    padding: 0.625em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    animation: arrive 0.2s ease-out;
    /* Rows out of view skip style, layout and paint (a list of 1,000 files stays fluid). */
    content-visibility: auto;
    contain-intrinsic-size: auto 3.75rem;
  }

  [part='file'] > :not(.icon, .head, .actions) {
    grid-column: 2 / -1;
  }

  [data-status='done'] {
    border-color: color-mix(in srgb, var(--_ok) 55%, var(--_border));
  }

  [data-status='error'] {
    border-color: var(--_error);
  }

  @container (max-width: 30rem) {
    [part='file'] > .actions {
      grid-column: 2 / -1;
    }
  }

  .icon {
    display: grid;
    place-items: center;
    width: 2.5rem;
    height: 2.5rem;
    border-radius: calc(var(--_radius) / 2);
    object-fit: cover;
    color: var(--_muted);
    background: color-mix(in srgb, currentColor 14%, transparent);
    font-size: 0.6875rem;
    font-weight: 700;
    clip-path: polygon(0 0, 72% 0, 100% 28%, 100% 100%, 0 100%);
  }

  img.icon {
    clip-path: none;
  }

  [data-kind='pdf'] {
    color: var(--_error);
  }
  [data-kind='doc'] {
    color: var(--_accent);
  }
  [data-kind='sheet'] {
    color: var(--_ok);
  }
  [data-kind='image'],
  [data-kind='slide'] {
    color: var(--_converting);
  }

  .head {
    min-width: 0;
  }

  [part='file-name'] {
    font-weight: 600;
  }

  .head [part='file-name'] {
    display: flex;
  }

  .start {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .end {
    flex: none;
    white-space: pre;
  }

  .meta,
  small,
  [part='summary'],
  [part='expiry'],
  .again label {
    color: var(--_muted);
    font-size: 0.8125rem;
    font-weight: 400;
    font-variant-numeric: tabular-nums;
  }

  /* Each piece of text takes its direction from its own words (an English size in a right-to-left page). */
  .meta > *,
  [part='summary'],
  [part='error'],
  [part='expiry'],
  small,
  [part='rejections'] li {
    unicode-bidi: plaintext;
  }

  [part='status'] {
    padding: 0 0.5em;
    border-radius: 1em;
    background: color-mix(in srgb, currentColor 14%, transparent);
    font-weight: 600;
  }

  [data-status='uploading'] [part='status'] {
    color: var(--_accent);
  }
  [data-status='converting'] [part='status'] {
    color: var(--_converting);
  }
  [data-status='done'] [part='status'] {
    color: var(--_ok);
    animation: pop 0.3s ease-out;
  }
  [data-status='error'] [part='status'],
  [part='error'] {
    color: var(--_error);
  }

  [data-status='done'] [part='status']::before {
    content: '✓ ' / '';
  }
  [data-status='error'] [part='status']::before {
    content: '! ' / '';
  }

  [part='progress'] {
    width: 100%;
    height: 0.375rem;
    accent-color: var(--_accent);
  }

  [data-status='converting'] [part='progress'] {
    accent-color: var(--_converting);
  }

  [part='error'] {
    margin: 0;
    font-weight: 500;
  }

  [part='result'] {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: 0.35em 0.75em;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
    color: var(--_accent);
    font-weight: 600;
    text-decoration: none;
    overflow-wrap: anywhere;
  }

  [part='open'] {
    color: var(--_accent);
    font-weight: 600;
    font-size: 0.875em;
  }

  [part='preview'] {
    max-width: var(--convert-uploader-preview-size, 6rem);
    max-height: var(--convert-uploader-preview-size, 6rem);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    object-fit: contain;
  }

  .batch {
    justify-content: space-between;
    padding-inline: 0.25em;
  }

  [part='rejections'] {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: 0.5em;
    padding: 0.625em 0.75em;
    border: 1px solid var(--_error);
    border-inline-start-width: 4px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_error) 8%, var(--_surface));
  }

  [part='rejections'] ul {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* Movement only: a row that fades in would be read at a low contrast while it does. */
  @keyframes arrive {
    from {
      transform: translateY(0.375rem);
    }
  }

  @keyframes pop {
    50% {
      transform: scale(1.1);
    }
  }

  @keyframes lift {
    to {
      transform: translateY(-0.25rem);
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
    [part='status'],
    [part='result'],
    .icon {
      border: 1px solid;
    }
    .dragging {
      border-color: Highlight;
    }
  }
`;
