import {
  chain,
  docxToPdf,
  htmlToPdf,
  markdownToHtmlFile,
  markdownToPdf,
  rasterTo,
  rasterToPdf,
  requestedTimeoutMs,
  textToPdf,
  xlsxToPdf,
  type MatrixEntry,
} from './converters.js';
import type { Engines } from './engines.js';
import { RASTER_FORMATS } from './images.js';
import { LIBREOFFICE_FORMATS, type LibreOffice } from './libreoffice.js';
import { numberOption } from './options.js';
import { pdfPagesToImages, pdfToText, type PageImageFormat } from './poppler.js';
import type { ConversionOptions } from './types.js';

/** Source format → target format → converter. */
export type Matrix = Map<string, Map<string, MatrixEntry>>;

/** Page images are rendered at 150 dpi unless `resolution` (or ConvertAPI's `ImageResolution`) says otherwise. */
const DEFAULT_DPI = 150;

/**
 * The conversion matrix of the engines found: what the running sandbox can really convert, and
 * with what. The pure-JS pairs are always there; LibreOffice adds the Office formats (replacing
 * the pure-JS docx and xlsx paths), poppler adds PDF pages as images and PDF text.
 */
export function buildMatrix(engines: Engines, libreoffice: LibreOffice | undefined): Matrix {
  const matrix: Matrix = new Map();
  const add = (from: string, to: string, entry: MatrixEntry): void => {
    const targets = matrix.get(from) ?? new Map<string, MatrixEntry>();
    targets.set(to, entry);
    matrix.set(from, targets);
  };

  add('txt', 'pdf', { engine: 'pdf-lib', run: textToPdf });
  add('md', 'pdf', { engine: 'marked + pdf-lib', run: markdownToPdf });
  add('md', 'html', { engine: 'marked', run: markdownToHtmlFile });
  add('html', 'pdf', { engine: 'pdf-lib', run: htmlToPdf });
  for (const from of RASTER_FORMATS) {
    for (const to of RASTER_FORMATS) add(from, to, { engine: 'sharp', run: rasterTo(to) });
    add(from, 'pdf', { engine: 'sharp + pdf-lib', run: rasterToPdf });
  }

  if (libreoffice) {
    for (const format of LIBREOFFICE_FORMATS) {
      add(format, 'pdf', {
        engine: 'libreoffice',
        run: (input, options) => libreoffice.toPdf(input.data, format, requestedTimeoutMs(options)),
      });
    }
  } else {
    add('docx', 'pdf', { engine: 'mammoth + pdf-lib', run: docxToPdf });
    add('xlsx', 'pdf', { engine: 'exceljs + pdf-lib', run: xlsxToPdf });
  }

  const { pdftoppm, pdftotext } = engines;
  if (pdftoppm) {
    for (const to of ['png', 'jpg'] as const) add('pdf', to, pdfToImages(pdftoppm, to, engines));
    // Office documents become images through their PDF, one image per page, as both services answer.
    for (const from of LIBREOFFICE_FORMATS) {
      const toPdf = matrix.get(from)?.get('pdf');
      if (!toPdf) continue;
      for (const to of ['png', 'jpg'] as const) {
        const pages = matrix.get('pdf')?.get(to);
        if (pages) add(from, to, chain(toPdf, pages, 'pdf'));
      }
    }
  }
  if (pdftotext) {
    add('pdf', 'txt', {
      engine: 'poppler (pdftotext)',
      run: (input, options) => pdfToText(pdftotext, input.data, limit(engines, options)),
    });
  }
  return matrix;
}

function pdfToImages(pdftoppm: string, to: PageImageFormat, engines: Engines): MatrixEntry {
  return {
    engine: 'poppler (pdftoppm)',
    run: (input, options) => {
      const dpi = numberOption(
        options,
        ['resolution', 'image_resolution', 'pixel_density', 'density', 'dpi'],
        {
          min: 10,
          max: 600,
        },
      );
      const quality = numberOption(options, ['quality', 'image_quality', 'jpg_quality', 'jpeg_quality'], {
        min: 1,
        max: 100,
      });
      return pdfPagesToImages(pdftoppm, input.data, to, {
        dpi: Math.round(dpi ?? DEFAULT_DPI),
        ...(quality === undefined ? {} : { quality: Math.round(quality) }),
        timeoutMs: limit(engines, options),
      });
    },
  };
}

/** The engines' time limit, or the request's own when it is shorter. */
function limit(engines: Engines, options: ConversionOptions): number {
  return Math.min(requestedTimeoutMs(options) ?? Infinity, engines.timeoutMs);
}
