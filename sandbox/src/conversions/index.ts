import { ConversionFailedError, UnsupportedConversionError } from './errors.js';
import { contentTypeFor, normalizeFormat, replaceExtension } from './formats.js';
import { htmlTitle, htmlToBlocks } from './html-text.js';
import { RASTER_FORMATS, convertImage, imageToPdf, type RasterFormat } from './images.js';
import { markdownToBlocks, markdownToHtml } from './markdown.js';
import { textPageSetup } from './page-setup.js';
import { decodeText } from './text-decoding.js';
import { renderBlocksToPdf } from './text-to-pdf.js';
import type { ConversionInput, ConversionOptions, ConversionOutput } from './types.js';

export { ConversionFailedError, UnsupportedConversionError } from './errors.js';
export { contentTypeFor, formatOfFileName, normalizeFormat, replaceExtension } from './formats.js';
export type { ConversionInput, ConversionOptions, ConversionOutput } from './types.js';

type Converter = (input: ConversionInput, options: ConversionOptions) => Promise<Uint8Array | Buffer>;

const textToPdf: Converter = async (input, options) =>
  renderBlocksToPdf(
    [{ kind: 'preformatted', text: decodeText(input.data), style: 'plain', indent: 0, quote: 0 }],
    {
      page: textPageSetup(options),
      title: input.name,
    },
  );

const markdownToPdf: Converter = async (input, options) =>
  renderBlocksToPdf(markdownToBlocks(decodeText(input.data)), { page: textPageSetup(options) });

const htmlToPdf: Converter = async (input, options) => {
  const html = decodeText(input.data);
  const title = htmlTitle(html);
  return renderBlocksToPdf(htmlToBlocks(html), { page: textPageSetup(options), ...(title ? { title } : {}) });
};

const toHtml: Converter = (input) =>
  Promise.resolve(Buffer.from(markdownToHtml(decodeText(input.data), input.name), 'utf8'));

const rasterTo =
  (to: RasterFormat): Converter =>
  async (input, options) =>
    convertImage(input.data, to, options);

const rasterToPdf: Converter = async (input, options) => imageToPdf(input.data, options);

/** The conversion matrix: source format → target format → converter. */
const CONVERTERS: ReadonlyMap<string, ReadonlyMap<string, Converter>> = new Map<
  string,
  Map<string, Converter>
>([
  ['txt', new Map([['pdf', textToPdf]])],
  [
    'md',
    new Map([
      ['pdf', markdownToPdf],
      ['html', toHtml],
    ]),
  ],
  ['html', new Map([['pdf', htmlToPdf]])],
  ...RASTER_FORMATS.map(
    (from) =>
      [
        from,
        new Map<string, Converter>([
          ...RASTER_FORMATS.map((to) => [to, rasterTo(to)] as const),
          ['pdf', rasterToPdf],
        ]),
      ] as const,
  ),
]);

function converterFor(from: string, to: string): Converter | undefined {
  return CONVERTERS.get(normalizeFormat(from))?.get(normalizeFormat(to));
}

/** Whether the sandbox can convert `from` to `to` (extensions, any case, aliases allowed). */
export function canConvert(from: string, to: string): boolean {
  return converterFor(from, to) !== undefined;
}

/** The canonical target formats for a source format; empty when it is not a source. */
export function targetsFor(from: string): string[] {
  return [...(CONVERTERS.get(normalizeFormat(from))?.keys() ?? [])];
}

/** Every canonical source format. */
export function sourceFormats(): string[] {
  return [...CONVERTERS.keys()];
}

/** Every supported pair, in canonical formats. */
export function conversionPairs(): Array<{ from: string; to: string }> {
  return sourceFormats().flatMap((from) => targetsFor(from).map((to) => ({ from, to })));
}

/**
 * Converts a file for real. The output is named after the input with the target's canonical
 * extension (`photo.jpeg` → `photo.webp`, `a.png` → `a.jpg`).
 * @throws UnsupportedConversionError for a pair outside the matrix
 * @throws ConversionFailedError when the input cannot be converted (e.g. a damaged image)
 */
export async function convert(
  input: ConversionInput,
  to: string,
  options: ConversionOptions = {},
): Promise<ConversionOutput[]> {
  const converter = converterFor(input.from, to);
  if (!converter) throw new UnsupportedConversionError(normalizeFormat(input.from), normalizeFormat(to));
  const ext = normalizeFormat(to);
  let data: Uint8Array | Buffer;
  try {
    data = await converter(input, options);
  } catch (error) {
    if (error instanceof ConversionFailedError) throw error;
    throw new ConversionFailedError(
      `Converting ${input.name} to ${ext} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return [
    {
      data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      name: replaceExtension(input.name, ext),
      ext,
      contentType: contentTypeFor(ext),
    },
  ];
}
