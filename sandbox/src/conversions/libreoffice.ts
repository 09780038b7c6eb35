import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConversionFailedError, ConversionTimeoutError } from './errors.js';
import { runTool, ToolError } from './tools/run-tool.js';
import { Semaphore } from './tools/semaphore.js';
import { withTempDir } from './tools/temp-dir.js';

/** Office formats LibreOffice converts to PDF here (canonical extensions). */
export const LIBREOFFICE_FORMATS = [
  'docx',
  'doc',
  'odt',
  'rtf',
  'xlsx',
  'xls',
  'ods',
  'csv',
  'pptx',
  'ppt',
  'odp',
] as const;
/** One of the Office formats LibreOffice converts here. */
export type LibreOfficeFormat = (typeof LIBREOFFICE_FORMATS)[number];

/**
 * Import filters for formats LibreOffice would otherwise guess at: a CSV file is read as UTF-8 with
 * commas and double quotes (the token string is "separator,quote,charset(76 = UTF-8),first line").
 */
const IMPORT_FILTERS: Partial<Record<LibreOfficeFormat, string>> = { csv: 'CSV:44,34,76,1' };

/** How to run LibreOffice. */
export interface LibreOfficeOptions {
  /** The `soffice` executable. */
  soffice: string;
  /** How many conversions may run at once. */
  concurrency: number;
  /** Default time limit of one conversion in milliseconds. */
  timeoutMs: number;
}

/**
 * Converts Office documents to PDF with headless LibreOffice. Every run starts its own `soffice`
 * with a fresh profile in a temp directory (`-env:UserInstallation`), so runs never share state or
 * lock each other out; a semaphore keeps only a few running, and a timeout kills a hung one.
 */
export class LibreOffice {
  readonly #options: LibreOfficeOptions;
  readonly #slots: Semaphore;
  readonly #running = new Set<() => void>();

  constructor(options: LibreOfficeOptions) {
    this.#options = options;
    this.#slots = new Semaphore(options.concurrency);
  }

  /**
   * The document converted to PDF.
   * @param timeoutMs a shorter limit for this run (e.g. the request's own timeout)
   * @throws ConversionTimeoutError past the time limit, ConversionFailedError when LibreOffice fails
   */
  toPdf(data: Buffer, format: LibreOfficeFormat, timeoutMs?: number): Promise<Buffer> {
    const limit = Math.min(timeoutMs ?? Infinity, this.#options.timeoutMs);
    return this.#slots.run(() =>
      withTempDir('libreoffice', async (dir) => {
        // The input gets a name made here, never the client's: only the extension (from the matrix) is kept.
        const input = join(dir, `input.${format}`);
        await writeFile(input, data);
        const filter = IMPORT_FILTERS[format];
        const args = [
          `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
          '--headless',
          '--invisible',
          '--nologo',
          '--nodefault',
          '--nolockcheck',
          '--norestore',
          ...(filter ? [`--infilter=${filter}`] : []),
          '--convert-to',
          'pdf',
          '--outdir',
          join(dir, 'out'),
          input,
        ];
        let stop: (() => void) | undefined;
        try {
          await runTool(this.#options.soffice, args, {
            timeoutMs: limit,
            cwd: dir,
            // LibreOffice writes caches under HOME; keep them inside the run's directory.
            env: { HOME: dir, SAL_USE_VCLPLUGIN: 'svp' },
            onStart: (kill) => {
              stop = kill;
              this.#running.add(kill);
            },
          });
          // soffice exits 0 even when it could not load the file; then there is no output.
          return await readFile(join(dir, 'out', 'input.pdf')).catch(() => {
            throw new ConversionFailedError(`LibreOffice could not read this ${format} file`);
          });
        } catch (error) {
          throw libreOfficeError(error, format);
        } finally {
          if (stop) this.#running.delete(stop);
        }
      }),
    );
  }

  /** Stops running conversions and refuses queued ones (the sandbox is closing). */
  close(): void {
    this.#slots.close();
    for (const kill of this.#running) kill();
    this.#running.clear();
  }
}

function libreOfficeError(error: unknown, format: string): Error {
  if (error instanceof ConversionFailedError) return error;
  if (error instanceof ToolError && error.timedOut) {
    return new ConversionTimeoutError(`LibreOffice took too long to convert this ${format} file`, {
      cause: error,
    });
  }
  return new ConversionFailedError(
    `LibreOffice could not convert this ${format} file: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}
