import type { Conversions } from '../conversions/index.js';
import { normalizeFormat } from '../conversions/formats.js';

/**
 * How a converter takes its input: one `File`; several `Files[i]`, each converted on its own;
 * several combined into one result (merge, zip); or a web page's `Url`.
 */
export type ConverterInput = 'file' | 'each' | 'all' | 'url';

/** A ConvertAPI converter the running sandbox offers: a `/convert/{from}/to/{to}` route. */
export interface ConverterSpec {
  from: string;
  to: string;
  input: ConverterInput;
  /** What it does, in the route's terms: convert a format, or a PDF or archive operation. */
  kind: 'format' | 'merge' | 'split' | 'zip' | 'web';
  /** `ConverterGroup` in `/info`. */
  group: 'Document' | 'Image' | 'Pdf' | 'Archive' | 'Web';
}

/**
 * Sources whose converters take several files (`Files[i]`), converting each; the others take one and
 * answer 4000 to several (docs/convertapi.md §1). [?] Which real converters take several is not documented.
 */
export const MULTI_FILE_SOURCES = new Set(['png', 'jpg', 'webp', 'gif', 'tiff']);

/**
 * Operations that are routes of their own (docs/convertapi.md §1: `{to}` may be an operation):
 * `pdf/to/merge` with `Files[]` and `pdf/to/split` (NODE examples/split_and_merge_pdf.js; NET
 * Examples/SplitAndMergePdf), `any/to/zip` with `Files[]` (the official clients send every zip to
 * `any`: NODE utils.js `detectFormat`, GO convert_test.go `Convert("any", "zip", …)`), and
 * `web/to/pdf` with `Url` (docs/convertapi.md §1 "Parameters that matter").
 */
const OPERATIONS: readonly ConverterSpec[] = [
  { from: 'pdf', to: 'merge', input: 'all', kind: 'merge', group: 'Pdf' },
  { from: 'pdf', to: 'split', input: 'file', kind: 'split', group: 'Pdf' },
  { from: 'any', to: 'zip', input: 'all', kind: 'zip', group: 'Archive' },
  { from: 'web', to: 'pdf', input: 'url', kind: 'web', group: 'Web' },
];

/**
 * `url` as `{from}` is what NODE and PHP send when only `Url` is given (docs/convertapi.md §1); it is
 * taken as `web` but not listed in `/info`, as [?] whether the real service knows it is unconfirmed.
 */
const SOURCE_ALIASES: Readonly<Record<string, string>> = { url: 'web' };

/** Every converter of the running sandbox, as `/info` lists them. */
export function listConverters(conversions: Conversions): ConverterSpec[] {
  const formats = conversions.conversionPairs().map(({ from, to }): ConverterSpec => ({
    from,
    to,
    input: MULTI_FILE_SOURCES.has(from) ? 'each' : 'file',
    kind: 'format',
    group: MULTI_FILE_SOURCES.has(from) ? 'Image' : 'Document',
  }));
  return [...formats, ...OPERATIONS];
}

/** The converter of a route, or `undefined` when the sandbox has none (formats any case, aliases allowed). */
export function findConverter(conversions: Conversions, from: string, to: string): ConverterSpec | undefined {
  const lowerFrom = from.toLowerCase();
  const source = SOURCE_ALIASES[lowerFrom] ?? normalizeFormat(lowerFrom);
  const target = normalizeFormat(to);
  return listConverters(conversions).find(
    (converter) => converter.from === source && converter.to === target,
  );
}
