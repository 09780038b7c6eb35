// The services' catalogues of output formats, read only by pages that offer a format picker
// (`formats`): a lazily loaded module, kept out of the bundle every page loads.
import { isRecord } from '../contract/guards.js';
import { type HttpAnswer, request } from '../engine/transport.js';

/** One read per catalogue URL, shared by every element of the page; failed reads are forgotten. */
const reads = new Map<string, Promise<readonly string[] | undefined>>();

function readCatalogue(
  url: string,
  parse: (answer: HttpAnswer) => Iterable<unknown> | undefined,
  signal?: AbortSignal,
): Promise<readonly string[] | undefined> {
  let read = reads.get(url);
  if (!read) {
    read = request(url, { headers: { accept: 'application/json' }, signal, timeoutMs: 15_000 })
      .then((answer) => {
        const formats = parse(answer);
        if (!formats) return undefined;
        const names = new Set<string>();
        for (const format of formats)
          if (typeof format === 'string' && format.length <= 32) names.add(format.toLowerCase());
        return [...names].sort();
      })
      .catch(() => undefined);
    reads.set(url, read);
    void read.then((formats) => {
      if (formats === undefined) reads.delete(url);
    });
  }
  return read;
}

function jsonOf(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

/** ConvertAPI: the `DestinationFileFormats` of `GET {base}/info/{from}/to/*`; a 404 means none. */
export function convertApiTargets(
  base: string,
  from: string,
  signal?: AbortSignal,
): Promise<readonly string[] | undefined> {
  return readCatalogue(
    `${base}/info/${encodeURIComponent(from)}/to/*`,
    (answer) => {
      if (answer.status === 404) return [];
      const body = answer.status === 200 ? jsonOf(answer) : undefined;
      if (!Array.isArray(body)) return undefined;
      return body.flatMap((converter: unknown) => {
        const formats = isRecord(converter) ? converter['DestinationFileFormats'] : undefined;
        return Array.isArray(formats) ? (formats as unknown[]) : [];
      });
    },
    signal,
  );
}

/** CloudConvert: the `output_format`s of `GET {api}/convert/formats?filter[input_format]=…` (public). */
export function cloudConvertTargets(
  api: string,
  from: string,
  signal?: AbortSignal,
): Promise<readonly string[] | undefined> {
  return readCatalogue(
    `${api}/convert/formats?filter%5Binput_format%5D=${encodeURIComponent(from)}`,
    (answer) => {
      const body = answer.status === 200 ? jsonOf(answer) : undefined;
      const data = isRecord(body) ? body['data'] : undefined;
      if (!Array.isArray(data)) return undefined;
      return data.map((entry: unknown) => (isRecord(entry) ? entry['output_format'] : undefined));
    },
    signal,
  );
}
