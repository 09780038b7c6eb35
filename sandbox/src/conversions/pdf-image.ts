import type { PDFDocument, PDFImage } from 'pdf-lib';
import sharp from 'sharp';

const MAX_DIMENSION = 8192;

/**
 * Embeds image bytes (any format sharp reads) in a PDF: sRGB JPEGs as they are, anything else as
 * PNG. Resolves `undefined` for bytes that are not a readable image, so a document with a broken
 * picture still converts (its alt text stands in).
 */
export async function embedImage(doc: PDFDocument, data: Buffer): Promise<PDFImage | undefined> {
  try {
    const image = sharp(data, { failOn: 'error', limitInputPixels: MAX_DIMENSION * MAX_DIMENSION }).rotate();
    const metadata = await image.metadata();
    if (metadata.format === 'jpeg' && metadata.space === 'srgb' && (metadata.orientation ?? 1) === 1) {
      return await doc.embedJpg(data);
    }
    return await doc.embedPng(await image.toColourspace('srgb').png().toBuffer());
  } catch {
    return undefined;
  }
}
