import { docxToHtml } from './docx.js';
import { htmlTitle, htmlToBlocks } from './html-text.js';
import { convertImage, imageToPdf, type RasterFormat } from './images.js';
import { markdownToBlocks, markdownToHtml } from './markdown.js';
import { numberOption } from './options.js';
import { textPageSetup } from './page-setup.js';
import { decodeText } from './text-decoding.js';
import { renderBlocksToPdf } from './text-to-pdf.js';
import type { ConversionInput, ConversionOptions } from './types.js';
import { xlsxToHtml } from './xlsx.js';

/** What a converter makes of one input: one file, or several (one per page) in order. */
export type Produced = Uint8Array | Buffer | Array<Uint8Array | Buffer>;

/** Converts one input file. */
export type Converter = (input: ConversionInput, options: ConversionOptions) => Promise<Produced>;

/** A converter and the engine that runs it (named in the start line and docs/sandbox-conversions.md). */
export interface MatrixEntry {
  engine: string;
  run: Converter;
}

/** The `timeout` option (seconds, as ConvertAPI's `Timeout` and a CloudConvert task's `timeout`) in ms. */
export function requestedTimeoutMs(options: ConversionOptions): number | undefined {
  const seconds = numberOption(options, ['timeout'], { min: 1, max: 86_400 });
  return seconds === undefined ? undefined : seconds * 1000;
}

/** Renders an HTML document with the sandbox's own layout (headings, lists, tables as rows, pictures). */
async function renderHtml(html: string, options: ConversionOptions): Promise<Uint8Array> {
  const title = htmlTitle(html);
  return renderBlocksToPdf(htmlToBlocks(html), { page: textPageSetup(options), ...(title ? { title } : {}) });
}

/** A plain-text file on PDF pages, every line kept, in a plain font. */
export const textToPdf: Converter = (input, options) =>
  renderBlocksToPdf(
    [{ kind: 'preformatted', text: decodeText(input.data), style: 'plain', indent: 0, quote: 0 }],
    { page: textPageSetup(options), title: input.name },
  );

/** Markdown laid out as a document: headings, lists, quotes, code, tables as rows. */
export const markdownToPdf: Converter = (input, options) =>
  renderBlocksToPdf(markdownToBlocks(decodeText(input.data)), { page: textPageSetup(options) });

/** Markdown as a standalone HTML document. */
export const markdownToHtmlFile: Converter = (input) =>
  Promise.resolve(Buffer.from(markdownToHtml(decodeText(input.data), input.name), 'utf8'));

/** An HTML document's visible text and embedded pictures on PDF pages (no CSS layout, no fetching). */
export const htmlToPdf: Converter = (input, options) => renderHtml(decodeText(input.data), options);

/** Word without LibreOffice: mammoth's HTML through the sandbox's own PDF layout. */
export const docxToPdf: Converter = async (input, options) =>
  renderHtml(await docxToHtml(input.data), options);

/** Excel without LibreOffice: each sheet's cells as exceljs shows them, as table rows in a PDF. */
export const xlsxToPdf: Converter = async (input, options) =>
  renderHtml(await xlsxToHtml(input.data), options);

/** A raster image re-encoded in another raster format (sharp). */
export const rasterTo =
  (to: RasterFormat): Converter =>
  (input, options) =>
    convertImage(input.data, to, options);

/** A raster image on one PDF page (sharp, pdf-lib). */
export const rasterToPdf: Converter = (input, options) => imageToPdf(input.data, options);

/** `first` then `second` on each of its outputs (e.g. docx → pdf → one PNG per page). */
export function chain(first: MatrixEntry, second: MatrixEntry, via: string): MatrixEntry {
  return {
    engine: `${first.engine} + ${second.engine}`,
    run: async (input, options) => {
      const produced = await first.run(input, options);
      const outputs: Array<Uint8Array | Buffer> = [];
      for (const data of Array.isArray(produced) ? produced : [produced]) {
        const next = await second.run({ data: toBuffer(data), name: input.name, from: via }, options);
        outputs.push(...(Array.isArray(next) ? next : [next]));
      }
      return outputs;
    },
  };
}

/** A Buffer over the same bytes (no copy). */
export function toBuffer(data: Uint8Array | Buffer): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
