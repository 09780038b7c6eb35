import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConversionFailedError, ConversionTimeoutError } from './errors.js';
import { runTool, ToolError } from './tools/run-tool.js';
import { withTempDir } from './tools/temp-dir.js';

/** Pages rendered to images: PNG or JPEG (canonical extensions). */
export type PageImageFormat = 'png' | 'jpg';

/** How pdftoppm renders the pages. */
export interface PageImageOptions {
  /** Resolution in dots per inch. */
  dpi: number;
  /** JPEG quality, 1–100. */
  quality?: number;
  timeoutMs: number;
}

/**
 * Renders every page of a PDF to an image with poppler's `pdftoppm`, in page order.
 * @throws ConversionFailedError when the PDF cannot be read, ConversionTimeoutError past the limit
 */
export function pdfPagesToImages(
  pdftoppm: string,
  pdf: Buffer,
  format: PageImageFormat,
  options: PageImageOptions,
): Promise<Buffer[]> {
  return withTempDir('pdftoppm', async (dir) => {
    const input = join(dir, 'input.pdf');
    await writeFile(input, pdf);
    const encoding =
      format === 'png'
        ? ['-png']
        : ['-jpeg', ...(options.quality === undefined ? [] : ['-jpegopt', `quality=${options.quality}`])];
    await runTool(pdftoppm, ['-r', String(options.dpi), ...encoding, input, join(dir, 'page')], {
      timeoutMs: options.timeoutMs,
    }).catch((error: unknown) => {
      throw popplerError(error, 'pdftoppm');
    });
    // pdftoppm pads page numbers to the width of the last one (page-01 … page-12): sort by number.
    const pages = (await readdir(dir))
      .map((name) => ({ name, page: /^page-(\d+)\.(?:png|jpg)$/.exec(name)?.[1] }))
      .filter((entry): entry is { name: string; page: string } => entry.page !== undefined)
      .sort((a, b) => Number(a.page) - Number(b.page));
    if (pages.length === 0) throw new ConversionFailedError('The PDF has no pages to render');
    return Promise.all(pages.map((entry) => readFile(join(dir, entry.name))));
  });
}

/**
 * The text of a PDF, in reading order, as UTF-8, via poppler's `pdftotext`; pages are separated
 * by form feeds as pdftotext writes them.
 */
export function pdfToText(pdftotext: string, pdf: Buffer, timeoutMs: number): Promise<Buffer> {
  return withTempDir('pdftotext', async (dir) => {
    const input = join(dir, 'input.pdf');
    await writeFile(input, pdf);
    return runTool(pdftotext, ['-enc', 'UTF-8', input, '-'], { timeoutMs }).catch((error: unknown) => {
      throw popplerError(error, 'pdftotext');
    });
  });
}

function popplerError(error: unknown, tool: string): Error {
  if (error instanceof ToolError && error.timedOut)
    return new ConversionTimeoutError(`${tool} took too long`, { cause: error });
  return new ConversionFailedError(`The PDF could not be read: ${(error as Error).message}`, {
    cause: error,
  });
}
