import { PDFDocument } from 'pdf-lib';
import sharp, { type FitEnum, type Metadata, type Sharp } from 'sharp';
import { ConversionFailedError } from './errors.js';
import { numberOption, stringOption } from './options.js';
import { orient, requestedOrientation, requestedPageSize } from './page-setup.js';
import type { ConversionOptions } from './types.js';

/** Raster formats read and written with sharp (canonical extensions). */
export const RASTER_FORMATS = ['png', 'jpg', 'webp', 'gif', 'tiff'] as const;
export type RasterFormat = (typeof RASTER_FORMATS)[number];

const MAX_DIMENSION = 16_384;
const FITS = new Set<string>(['cover', 'contain', 'fill', 'inside', 'outside']);
const DEFAULT_DPI = 72;

/**
 * Re-encodes an image in another raster format with sharp: EXIF orientation applied,
 * optional `width` / `height` (with `fit`, default `inside`) and `quality` (1–100).
 * Transparency is flattened onto white for JPEG. Undecodable input gives `ConversionFailedError`.
 */
export async function convertImage(
  data: Buffer,
  to: RasterFormat,
  options: ConversionOptions = {},
): Promise<Buffer> {
  const quality = numberOption(options, ['quality', 'image_quality', 'jpg_quality', 'jpeg_quality'], {
    min: 1,
    max: 100,
  });
  let image = resized(decode(data), options);
  switch (to) {
    case 'jpg':
      image = image
        .flatten({ background: '#ffffff' })
        .jpeg(quality === undefined ? {} : { quality: Math.round(quality) });
      break;
    case 'png':
      image = image.png();
      break;
    case 'webp':
      image = image.webp(quality === undefined ? {} : { quality: Math.round(quality) });
      break;
    case 'gif':
      image = image.gif();
      break;
    case 'tiff':
      image = image.tiff(quality === undefined ? {} : { quality: Math.round(quality) });
      break;
  }
  return encode(image);
}

/**
 * Puts an image on a single PDF page. The page is the image's size (at its recorded density,
 * 72 dpi when none) unless `page_size` names a paper size, in which case the image is scaled to
 * fit inside the margins (`margin`, default 36 pt) and centred. `page_orientation` applies to both.
 */
export async function imageToPdf(data: Buffer, options: ConversionOptions = {}): Promise<Uint8Array> {
  const source = decode(data);
  const metadata = await source.metadata().catch((error: unknown) => {
    throw new ConversionFailedError(`The image could not be read: ${(error as Error).message}`, {
      cause: error,
    });
  });
  const embeddable = await embeddableImage(data, metadata, options);
  const doc = await PDFDocument.create();
  const image =
    embeddable.kind === 'jpg' ? await doc.embedJpg(embeddable.data) : await doc.embedPng(embeddable.data);

  const dpi = metadata.density && metadata.density > 0 ? metadata.density : DEFAULT_DPI;
  const naturalWidth = (image.width * 72) / dpi;
  const naturalHeight = (image.height * 72) / dpi;
  const orientation = requestedOrientation(options);
  const paper = requestedPageSize(options);
  if (paper === undefined) {
    const [pageWidth, pageHeight] = orient([naturalWidth, naturalHeight], orientation);
    const page = doc.addPage([pageWidth, pageHeight]);
    const scale = Math.min(pageWidth / naturalWidth, pageHeight / naturalHeight);
    const width = naturalWidth * scale;
    const height = naturalHeight * scale;
    page.drawImage(image, { x: (pageWidth - width) / 2, y: (pageHeight - height) / 2, width, height });
  } else {
    const landscapeImage = naturalWidth > naturalHeight;
    const [pageWidth, pageHeight] = orient(paper, orientation ?? (landscapeImage ? 'landscape' : 'portrait'));
    const margin =
      numberOption(options, ['margin', 'page_margin'], {
        min: 0,
        max: Math.min(pageWidth, pageHeight) / 3,
      }) ?? 36;
    const scale = Math.min(
      (pageWidth - 2 * margin) / naturalWidth,
      (pageHeight - 2 * margin) / naturalHeight,
      1,
    );
    const width = naturalWidth * scale;
    const height = naturalHeight * scale;
    const page = doc.addPage([pageWidth, pageHeight]);
    page.drawImage(image, { x: (pageWidth - width) / 2, y: (pageHeight - height) / 2, width, height });
  }
  doc.setProducer('convert-uploader sandbox (pdf-lib, sharp)');
  doc.setCreator('convert-uploader sandbox');
  return doc.save();
}

/** The image as JPEG or PNG bytes that pdf-lib can embed, upright; plain JPEGs are kept as they are. */
async function embeddableImage(
  data: Buffer,
  metadata: Metadata,
  options: ConversionOptions,
): Promise<{ kind: 'jpg' | 'png'; data: Buffer }> {
  const upright = (metadata.orientation ?? 1) === 1;
  const resizeRequested =
    numberOption(options, ['width', 'height'], { min: 1, max: MAX_DIMENSION }) !== undefined;
  if (metadata.format === 'jpeg' && upright && !resizeRequested && metadata.space === 'srgb') {
    await assertDecodable(data);
    return { kind: 'jpg', data };
  }
  // pdf-lib embeds 8-bit RGB/grey best; CMYK and 16-bit images are converted to 8-bit sRGB.
  const normalized = resized(decode(data), options).toColourspace('srgb');
  if (metadata.format === 'jpeg')
    return { kind: 'jpg', data: await encode(normalized.jpeg({ quality: 92 })) };
  return { kind: 'png', data: await encode(normalized.png()) };
}

/** Fully decodes the image (at reduced scale, so cheaply) to reject truncated or corrupt data. */
async function assertDecodable(data: Buffer): Promise<void> {
  await encode(decode(data).resize(16, 16, { fit: 'fill' }).raw());
}

function decode(data: Buffer): Sharp {
  // `failOn: 'error'` rejects truncated and corrupt input rather than rendering grey areas.
  return sharp(data, { failOn: 'error', limitInputPixels: MAX_DIMENSION * MAX_DIMENSION }).rotate();
}

function resized(image: Sharp, options: ConversionOptions): Sharp {
  const range = { min: 1, max: MAX_DIMENSION };
  const width = numberOption(options, ['width', 'image_width'], range);
  const height = numberOption(options, ['height', 'image_height'], range);
  if (width === undefined && height === undefined) return image;
  const fit = stringOption(options, ['fit', 'resize_mode']);
  return image.resize({
    ...(width !== undefined ? { width: Math.round(width) } : {}),
    ...(height !== undefined ? { height: Math.round(height) } : {}),
    fit: fit !== undefined && FITS.has(fit) ? (fit as keyof FitEnum) : 'inside',
  });
}

async function encode(image: Sharp): Promise<Buffer> {
  try {
    return await image.toBuffer();
  } catch (error) {
    throw new ConversionFailedError(`The image could not be converted: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
