import type { Conversions } from '../conversions/index.js';
import { normalizeFormat } from '../conversions/formats.js';
import { engineFor, formatGroup } from './engines.js';

/** An engine option as `include=options` lists it. */
interface FormatOption {
  name: string;
  type: 'integer' | 'string' | 'float';
  possible_values?: string[];
  default?: string | number | null;
}

/** Options the sandbox's conversions understand, named as CloudConvert's convert tasks take them. */
const IMAGE_OPTIONS: FormatOption[] = [
  { name: 'quality', type: 'integer', default: null },
  { name: 'width', type: 'integer', default: null },
  { name: 'height', type: 'integer', default: null },
  { name: 'fit', type: 'string', possible_values: ['max', 'crop', 'scale'], default: 'max' },
];
const PDF_OPTIONS: FormatOption[] = [
  {
    name: 'page_size',
    type: 'string',
    possible_values: ['a3', 'a4', 'a5', 'letter', 'legal'],
    default: 'a4',
  },
  {
    name: 'page_orientation',
    type: 'string',
    possible_values: ['portrait', 'landscape'],
    default: 'portrait',
  },
  { name: 'margin', type: 'float', default: null },
];

/** Options of PDF pages rendered as images (poppler), as CloudConvert names them. */
const PAGE_IMAGE_OPTIONS: FormatOption[] = [
  { name: 'pixel_density', type: 'integer', default: 150 },
  { name: 'quality', type: 'integer', default: null },
];
const RASTER = new Set(['png', 'jpg', 'webp', 'gif', 'tiff']);

/** The options the sandbox honours for a pair, which depend on the engine that converts it. */
function optionsFor(from: string, to: string, engine: string): FormatOption[] {
  if (RASTER.has(to)) return RASTER.has(from) ? IMAGE_OPTIONS : PAGE_IMAGE_OPTIONS;
  // Page geometry applies where the sandbox lays the PDF out itself (pdf-lib), not to LibreOffice's PDFs.
  if (to === 'pdf' && engine.includes('pdf-lib')) return PDF_OPTIONS;
  return [];
}

/**
 * `GET /v2/convert/formats`: every pair of the running sandbox's conversion matrix (so it follows the
 * engines found at start) as
 * `{operation, input_format, output_format, engine, credits, meta.group}` (docs/cloudconvert.md §2, [S]),
 * with `filter[input_format]`, `filter[output_format]`, `filter[engine]` and `include=options`.
 */
export function listFormats(query: URLSearchParams, conversions: Conversions): Record<string, unknown>[] {
  const inputFilter = query.get('filter[input_format]');
  const outputFilter = query.get('filter[output_format]');
  const engineFilter = query.get('filter[engine]');
  const withOptions = (query.get('include') ?? '').split(',').includes('options');
  const rows: Record<string, unknown>[] = [];
  for (const { from, to, engine: sandboxEngine } of conversions.conversionPairs()) {
    if (inputFilter && normalizeFormat(inputFilter) !== from) continue;
    if (outputFilter && normalizeFormat(outputFilter) !== to) continue;
    const { engine } = engineFor(from, to);
    if (engineFilter && engineFilter !== engine) continue;
    rows.push({
      operation: 'convert',
      input_format: from,
      output_format: to,
      engine,
      credits: 1,
      ...(withOptions ? { options: optionsFor(from, to, sandboxEngine) } : {}),
      meta: { group: formatGroup(from) },
    });
  }
  return rows;
}
