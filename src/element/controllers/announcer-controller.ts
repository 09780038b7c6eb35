import type { ReactiveControllerHost } from 'lit';
import type { UploadItem, UploadStatus } from '../../engine/types.js';
import type { UiStrings } from '../strings/en.js';

/** The phases the live region announces; waiting and asking for a credential pass unsaid. */
const announcedStatuses: ReadonlySet<UploadStatus> = new Set([
  'uploading',
  'converting',
  'done',
  'error',
  'canceled',
]);

type Host = ReactiveControllerHost & HTMLElement;

/**
 * What the live region says: files added, and each file's phase when it changes (never percentages). After a
 * row disappears, it keeps the focus inside the element: on the next row's first button, else `fallback`.
 */
export class AnnouncerController {
  /** The text of the live region. */
  text = '';
  readonly #lastAnnounced = new Map<string, UploadStatus>();
  readonly #host: Host;
  readonly #fallback: () => HTMLElement | null | undefined;

  constructor(host: Host, fallback: () => HTMLElement | null | undefined) {
    this.#host = host;
    this.#fallback = fallback;
  }

  /** Says `text` now. */
  say(text: string): void {
    this.text = text;
    this.#host.requestUpdate();
  }

  /** Announces the phases that changed since the last call, and keeps the focus when rows went away. */
  itemsChanged(previous: readonly UploadItem[], items: readonly UploadItem[], ui: UiStrings): void {
    const changes: string[] = [];
    const present = new Set<string>();
    for (const item of items) {
      present.add(item.id);
      if (this.#lastAnnounced.get(item.id) === item.status) continue;
      this.#lastAnnounced.set(item.id, item.status);
      if (!announcedStatuses.has(item.status)) continue;
      const status = item.error ? `${ui.status[item.status]}. ${item.error.message}` : ui.status[item.status];
      changes.push(ui.announcePhase(item.name, status));
    }
    for (const id of this.#lastAnnounced.keys()) if (!present.has(id)) this.#lastAnnounced.delete(id);
    if (changes.length > 0) this.say(changes.join('. '));
    if (items.length < previous.length) void this.#keepFocusInside();
  }

  async #keepFocusInside(): Promise<void> {
    const root = this.#host.shadowRoot;
    // In a row, or on a batch button (which goes away with the last file it could act on).
    const focusWasInList = Boolean(root?.activeElement?.closest('[part~="file"], .batch'));
    await this.#host.updateComplete;
    if (!focusWasInList || root?.activeElement) return;
    const next = root?.querySelector<HTMLButtonElement>('[part~="file"] button');
    (next ?? this.#fallback())?.focus();
  }
}
