import { join } from 'node:path';
import { findExecutable } from './tools/find-executable.js';

/**
 * Which external engines the sandbox may use (`startSandbox({ engines })`). By default it looks
 * for them on `PATH`; `false` makes it ignore one even when installed (to try the pure-JS paths),
 * a string names where it is.
 */
export interface EngineOptions {
  /** LibreOffice for Office documents: `false` to ignore it, or the path of `soffice`. */
  libreoffice?: boolean | string;
  /** poppler-utils for PDF pages and text: `false` to ignore it, or the directory of `pdftoppm` and `pdftotext`. */
  poppler?: boolean | string;
  /** Time limit of one external tool run in milliseconds (default 120 000); a request may ask for less. */
  timeoutMs?: number;
  /** How many LibreOffice conversions run at once (default 2; each has its own profile). */
  libreofficeConcurrency?: number;
}

/** The engines found, as the start line and `Sandbox.engines` report them. */
export interface EngineReport {
  /** Path of `soffice`, or null when LibreOffice is absent or ignored. */
  libreoffice: string | null;
  /** Path of poppler's `pdftoppm` (PDF pages to PNG/JPEG), or null. */
  pdftoppm: string | null;
  /** Path of poppler's `pdftotext` (PDF to text), or null. */
  pdftotext: string | null;
  /** The libraries inside the package that always work (no installation needed). */
  javascript: string[];
}

/** The engines found and how to run them. */
export interface Engines extends EngineReport {
  timeoutMs: number;
  libreofficeConcurrency: number;
}

/** Libraries the package brings; each conversion that needs no external tool runs on them. */
export const JAVASCRIPT_ENGINES = ['sharp', 'pdf-lib', 'marked', 'mammoth', 'exceljs', 'fflate'];
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_LIBREOFFICE_CONCURRENCY = 2;

/** Looks for the external engines (a few file-system checks; nothing is started). */
export async function detectEngines(options: EngineOptions = {}): Promise<Engines> {
  const { libreoffice = true, poppler = true } = options;
  const popplerTool = (name: string): Promise<string | undefined> =>
    poppler === false
      ? Promise.resolve(undefined)
      : findExecutable(typeof poppler === 'string' ? [join(poppler, name)] : [name]);
  const [soffice, pdftoppm, pdftotext] = await Promise.all([
    libreoffice === false
      ? undefined
      : findExecutable(typeof libreoffice === 'string' ? [libreoffice] : ['soffice', 'libreoffice']),
    popplerTool('pdftoppm'),
    popplerTool('pdftotext'),
  ]);
  return {
    libreoffice: soffice ?? null,
    pdftoppm: pdftoppm ?? null,
    pdftotext: pdftotext ?? null,
    javascript: [...JAVASCRIPT_ENGINES],
    timeoutMs: positive(options.timeoutMs) ?? DEFAULT_TIMEOUT_MS,
    libreofficeConcurrency: positive(options.libreofficeConcurrency) ?? DEFAULT_LIBREOFFICE_CONCURRENCY,
  };
}

/** The public part of the engines: what the start line prints. */
export function engineReport(engines: Engines): EngineReport {
  const { libreoffice, pdftoppm, pdftotext, javascript } = engines;
  return { libreoffice, pdftoppm, pdftotext, javascript: [...javascript] };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}
