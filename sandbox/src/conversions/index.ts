import { toBuffer, type MatrixEntry, type Produced } from './converters.js';
import {
  detectEngines,
  engineReport,
  type EngineOptions,
  type EngineReport,
  type Engines,
} from './engines.js';
import { ConversionFailedError, UnsupportedConversionError } from './errors.js';
import { contentTypeFor, normalizeFormat, replaceExtension } from './formats.js';
import { LibreOffice } from './libreoffice.js';
import { buildMatrix } from './matrix.js';
import { mergePdfs, splitPdf } from './pdf-pages.js';
import type { ConversionInput, ConversionOptions, ConversionOutput } from './types.js';
import { zipFiles } from './zip.js';

export { ConversionFailedError, ConversionTimeoutError, UnsupportedConversionError } from './errors.js';
export { detectEngines, engineReport } from './engines.js';
export type { EngineOptions, EngineReport, Engines } from './engines.js';
export { contentTypeFor, formatOfFileName, normalizeFormat, replaceExtension } from './formats.js';
export type { ConversionInput, ConversionOptions, ConversionOutput } from './types.js';

/** One pair of the matrix and the engine that converts it. */
export interface ConversionPair {
  from: string;
  to: string;
  engine: string;
}

/**
 * The conversions of one running sandbox: its matrix follows the engines it found, so the
 * catalogues (`/info`, `/v2/convert/formats`) list exactly what it can do.
 */
export interface Conversions {
  /** The engines found, as the start line reports them. */
  readonly engines: EngineReport;
  /** Whether `from` converts to `to` (extensions, any case, aliases allowed). */
  readonly canConvert: (from: string, to: string) => boolean;
  /** The canonical target formats of a source format; empty when it is not a source. */
  readonly targetsFor: (from: string) => string[];
  /** Every canonical source format. */
  readonly sourceFormats: () => string[];
  /** Every supported pair, in canonical formats, with its engine. */
  readonly conversionPairs: () => ConversionPair[];
  /**
   * Converts one file. The output is named after the input with the target's extension; several
   * outputs (the pages of a PDF as images) are numbered `name-1.png`, `name-2.png`, ….
   * @throws UnsupportedConversionError for a pair outside the matrix
   * @throws ConversionFailedError when the input cannot be converted (ConversionTimeoutError past the limit)
   */
  readonly convert: (
    input: ConversionInput,
    to: string,
    options?: ConversionOptions,
  ) => Promise<ConversionOutput[]>;
  /** One PDF per page (pdf-lib). @throws ConversionFailedError for an unreadable PDF */
  readonly splitPdf: (input: ConversionInput) => Promise<ConversionOutput[]>;
  /** The pages of the PDFs in order, in one PDF named after `name` (pdf-lib). @throws ConversionFailedError */
  readonly mergePdfs: (inputs: ConversionInput[], name: string) => Promise<ConversionOutput>;
  /** The files in one ZIP archive named after `name` (fflate). */
  readonly zip: (inputs: ConversionInput[], name: string) => Promise<ConversionOutput>;
  /** Stops running external conversions (the sandbox is closing). */
  readonly close: () => void;
}

/** Looks for the external engines and builds the conversions they allow. */
export async function startConversions(options: EngineOptions = {}): Promise<Conversions> {
  return createConversions(await detectEngines(options));
}

/** The conversions that the given engines allow. */
export function createConversions(engines: Engines): Conversions {
  const libreoffice = engines.libreoffice
    ? new LibreOffice({
        soffice: engines.libreoffice,
        concurrency: engines.libreofficeConcurrency,
        timeoutMs: engines.timeoutMs,
      })
    : undefined;
  const matrix = buildMatrix(engines, libreoffice);
  const entry = (from: string, to: string): MatrixEntry | undefined =>
    matrix.get(normalizeFormat(from))?.get(normalizeFormat(to));

  return {
    engines: engineReport(engines),
    canConvert: (from, to) => entry(from, to) !== undefined,
    targetsFor: (from) => [...(matrix.get(normalizeFormat(from))?.keys() ?? [])],
    sourceFormats: () => [...matrix.keys()],
    conversionPairs: () =>
      [...matrix].flatMap(([from, targets]) =>
        [...targets].map(([to, { engine }]) => ({ from, to, engine })),
      ),
    convert: async (input, to, options = {}) => {
      const found = entry(input.from, to);
      if (!found) throw new UnsupportedConversionError(normalizeFormat(input.from), normalizeFormat(to));
      const ext = normalizeFormat(to);
      return outputs(await guarded(input.name, ext, () => found.run(input, options)), input.name, ext);
    },
    splitPdf: async (input) => {
      return outputs(await guarded(input.name, 'pdf', () => splitPdf(input.data)), input.name, 'pdf');
    },
    mergePdfs: async (inputs, name) => {
      const data = await guarded(name, 'pdf', () => mergePdfs(inputs));
      return output(data, replaceExtension(name, 'pdf'), 'pdf');
    },
    zip: (inputs, name) => {
      return Promise.resolve(output(zipFiles(inputs), replaceExtension(name, 'zip'), 'zip'));
    },
    close: () => {
      libreoffice?.close();
    },
  };
}

/** Runs a converter; anything it throws that is not already a conversion error becomes one. */
async function guarded<T>(name: string, ext: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConversionFailedError) throw error;
    throw new ConversionFailedError(`Converting ${name} to ${ext} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function outputs(produced: Produced, inputName: string, ext: string): ConversionOutput[] {
  if (!Array.isArray(produced)) return [output(produced, replaceExtension(inputName, ext), ext)];
  const stem = replaceExtension(inputName, ext).slice(0, -ext.length - 1);
  return produced.map((data, index) =>
    output(data, produced.length === 1 ? `${stem}.${ext}` : `${stem}-${index + 1}.${ext}`, ext),
  );
}

function output(data: Uint8Array | Buffer, name: string, ext: string): ConversionOutput {
  return { data: toBuffer(data), name, ext, contentType: contentTypeFor(ext) };
}
