import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { inputFormatOf } from '../../contract/file-name.js';
import { unsupportedConversion } from '../../engine/errors.js';
import type { ProviderAdapter } from '../../engine/provider-port.js';
import type { UploadItem } from '../../engine/types.js';
import type { UploadQueue } from '../../engine/upload-queue.js';
import { offeredFormats, type UploaderSettings } from '../settings.js';

type Host = ReactiveControllerHost & UploaderSettings;

/**
 * The service's catalogue, read for the format picker (`formats`): which output formats each listed file's
 * input format can become. Shaped like Lit's Task: its arguments (the adapter and the files' input formats)
 * are checked before each update; a new adapter aborts the reads under way, and an answer for an old adapter
 * is dropped (the `#run` guard), so a stale catalogue never narrows the picker.
 */
export class CatalogueController implements ReactiveController {
  /** Output formats per input format; undefined while unknown (which restricts nothing). */
  #known = new Map<string, readonly string[] | undefined>();
  /** Changes whenever what the catalogue says changes (for renders that depend on it). */
  version = 0;
  #adapter: ProviderAdapter | undefined;
  #abort = new AbortController();
  #run = 0;
  readonly #host: Host;
  readonly #inputs: () => { adapter: ProviderAdapter; items: readonly UploadItem[] };

  constructor(host: Host, inputs: () => { adapter: ProviderAdapter; items: readonly UploadItem[] }) {
    this.#host = host;
    this.#inputs = inputs;
    host.addController(this);
  }

  hostUpdate(): void {
    if (offeredFormats(this.#host).length === 0) return;
    const { adapter, items } = this.#inputs();
    if (adapter !== this.#adapter) {
      this.#abort.abort();
      this.#abort = new AbortController();
      this.#adapter = adapter;
      this.#known = new Map();
      this.#run += 1;
      this.version += 1;
    }
    for (const from of new Set(items.map((item) => this.#formatOf(item)))) {
      if (!from || this.#known.has(from)) continue;
      this.#known.set(from, undefined);
      const run = this.#run;
      void adapter.targets?.(from, this.#abort.signal).then(
        (targets) => {
          if (run !== this.#run) return;
          this.#known.set(from, targets);
          this.version += 1;
          this.#host.requestUpdate();
        },
        () => undefined,
      );
    }
  }

  hostDisconnected(): void {
    this.#abort.abort();
    // Reads start again, for the adapter in use, when the element is back.
    this.#adapter = undefined;
  }

  #formatOf(item: UploadItem): string {
    return inputFormatOf(item.name, this.#host.from);
  }

  /** The formats offered to convert `item` to: the picker's list, narrowed by what the service says. */
  targetsFor(item: UploadItem): readonly string[] {
    const known = this.#known.get(this.#formatOf(item));
    const offered = offeredFormats(this.#host);
    const listed = offered.length > 0 ? offered : (known ?? []);
    return known ? listed.filter((format) => known.includes(format)) : listed;
  }

  /** The picker's choices: offered formats that every waiting file (else every file) can be converted to. */
  pickerChoices(items: readonly UploadItem[]): string[] {
    const waiting = items.filter((item) => item.status === 'queued');
    const sources = new Set((waiting.length > 0 ? waiting : items).map((item) => this.#formatOf(item)));
    return offeredFormats(this.#host).filter((format) =>
      [...sources].every((from) => this.#known.get(from)?.includes(format) ?? true),
    );
  }

  /** Fails, before any upload, the files the service cannot convert to the chosen format. */
  async flagUnsupported(items: readonly UploadItem[], queue: UploadQueue): Promise<void> {
    const { adapter } = this.#inputs();
    const to = this.#host.to;
    for (const item of items) {
      const from = this.#formatOf(item);
      const targets = await adapter.targets?.(from);
      if (targets && !targets.includes(to)) queue.refuse(item.id, unsupportedConversion(from, to));
    }
  }
}
