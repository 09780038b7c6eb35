import { basename, extname } from 'node:path';
import {
  ConversionFailedError,
  ConversionTimeoutError,
  UnsupportedConversionError,
  formatOfFileName,
  type ConversionInput,
  type ConversionOutput,
} from '../conversions/index.js';
import type { StoredFile } from '../file-store.js';
import { FetchFailedError, NotLoopbackError, fetchAllowed } from '../loopback.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { AsyncJobs } from './async-jobs.js';
import { authorizeConversion } from './auth.js';
import type { ConvertApiContext } from './context.js';
import { findConverter, MULTI_FILE_SOURCES, type ConverterSpec } from './converters.js';
import { ConvertApiError, errors } from './errors.js';
import { resolveFileReference } from './file-references.js';
import { headerText } from './headers.js';
import { readParameters } from './parameters.js';
import type { ConvertParameters } from './parameters.js';
import { conversionResponse, resultFormat } from './responses.js';
import type { ResultFile, ResultFormat } from './responses.js';
import type { Reservation } from './usage.js';

/** What one conversion request costs; the real cost varies by converter and is not emulated. */
const CONVERSION_COST = 1;
/**
 * Parameters the service itself reads; all others are handed to the converter as options
 * (`Timeout` too: it also limits the external engines).
 */
const SERVICE_PARAMETERS = new Set(['storefile', 'filename', 'download', 'jobid', 'async', 'webhook', 'url']);

interface ConversionPlan {
  converter: ConverterSpec;
  inputs: StoredFile[];
  /** The web page of a `web/to/*` converter. */
  url?: URL;
  storeFile: boolean;
  fileName?: string;
  format: ResultFormat;
  options: Record<string, string>;
  jobId?: string;
  webHook?: string;
}

/** A result group: the outputs of one input (or of all of them, for merge and zip), named after `stem`. */
interface ResultGroup {
  stem: string;
  outputs: ConversionOutput[];
}

/**
 * `POST|GET /convert/{from}/to/{to}` and, with `async`, `POST /async/convert/{from}/to/{to}`:
 * authenticates, reads the parameters in any body form, converts and answers in the requested form.
 * The credential's use and the balance are only consumed when the conversion succeeds.
 */
export async function handleConvert(
  request: SandboxRequest,
  context: ConvertApiContext,
  from: string,
  to: string,
  mode: 'sync' | 'async',
): Promise<SandboxResponse> {
  const reservation = await authorizeConversion(request, context);
  let parameters: ConvertParameters | undefined;
  try {
    const converter = findConverter(context.conversions, from, to);
    if (!converter) throw errors.unsupported(from, to);
    parameters = await readParameters(request, context.store);
    const plan = planConversion(parameters, converter, request, context, mode);
    const run = runAndSettle(plan, context, reservation, parameters);
    if (mode === 'sync') return await run();
    const webHook = plan.webHook;
    const jobId = context.jobs.start(
      run,
      plan.jobId,
      webHook
        ? (id) => {
            notifyWebHook(webHook, id);
          }
        : undefined,
    );
    return { status: 200, body: { JobId: jobId } };
  } catch (error) {
    reservation.release();
    if (parameters) await deleteInlineFiles(parameters, context);
    throw error;
  }
}

/** Validates the parameters and resolves the input files (4000, 5007, 5009 on failure). */
function planConversion(
  parameters: ConvertParameters,
  converter: ConverterSpec,
  request: SandboxRequest,
  context: ConvertApiContext,
  mode: 'sync' | 'async',
): ConversionPlan {
  const { values, files } = parameters;
  const invalid: Record<string, string[]> = {};

  const timeout = values.get('timeout');
  if (timeout !== undefined && !/^\d+$/.test(timeout.trim()))
    invalid['Timeout'] = ['The Timeout must be a whole number of seconds.'];
  else if (timeout !== undefined && (Number(timeout) < 10 || Number(timeout) > 1200)) {
    invalid['Timeout'] = ['The field Timeout must be between 10 and 1200.'];
  }
  const storeFile = parseBoolean(values.get('storefile'));
  if (storeFile === undefined) invalid['StoreFile'] = ['The StoreFile value must be true or false.'];
  const jobId = values.get('jobid');
  if (mode === 'async' && jobId !== undefined && !AsyncJobs.isValidJobId(jobId)) {
    invalid['JobId'] = ['The JobId must be 32 lower-case letters or digits.'];
  }
  const references = [...(files.get('file') ?? []), ...(files.get('files') ?? [])];
  const url = converter.input === 'url' ? pageUrl(values.get('url'), invalid) : undefined;
  if (converter.input !== 'url' && references.length === 0) invalid['File'] = ['The File field is required.'];
  else if (converter.input === 'file' && references.length > 1) {
    invalid['File'] = ['This converter takes a single file.'];
  }
  if (Object.keys(invalid).length > 0) throw errors.invalidParameters(invalid);

  const inputs = references.map((reference) => resolveFileReference(reference, context.store, context.base));
  if (inputs.some((file) => file.size === 0)) {
    throw errors.invalidParameters({ File: ['File size must be greater than 0 bytes.'] });
  }
  const options = Object.fromEntries([...values].filter(([name]) => !SERVICE_PARAMETERS.has(name)));
  const fileName = values.get('filename')?.trim();
  const webHook = values.get('webhook')?.trim();
  return {
    converter,
    inputs,
    ...(url ? { url } : {}),
    storeFile: storeFile ?? false,
    format: resultFormat(headerText(request.headers.accept), values.get('download')),
    options,
    ...(fileName ? { fileName } : {}),
    ...(mode === 'async' && jobId ? { jobId } : {}),
    ...(webHook && /^https?:\/\//i.test(webHook) ? { webHook } : {}),
  };
}

/**
 * The `Url` of a `web/to/*` converter: required, and an absolute http(s) URL; 4000 otherwise, as for
 * any parameter the service validates (docs/convertapi.md §5).
 */
function pageUrl(value: string | undefined, invalid: Record<string, string[]>): URL | undefined {
  const text = value?.trim() ?? '';
  if (text === '') {
    invalid['Url'] = ['The Url field is required.'];
    return undefined;
  }
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // Reported just below, like a URL of another scheme.
  }
  invalid['Url'] = ['The Url must be an absolute http or https URL.'];
  return undefined;
}

/** A function that converts, commits or releases the reservation, cleans up, and answers (errors included). */
function runAndSettle(
  plan: ConversionPlan,
  context: ConvertApiContext,
  reservation: Reservation,
  parameters: ConvertParameters,
): () => Promise<SandboxResponse> {
  return async () => {
    try {
      const response = conversionResponse(
        await convertAll(plan, context),
        plan.format,
        context.base,
        CONVERSION_COST,
      );
      reservation.commit();
      return response;
    } catch (error) {
      reservation.release();
      return (error instanceof ConvertApiError ? error : errors.conversionFailed()).toResponse();
    } finally {
      await deleteInlineFiles(parameters, context);
    }
  };
}

async function convertAll(plan: ConversionPlan, context: ConvertApiContext): Promise<ResultFile[]> {
  const groups = await produce(plan, context).catch((error: unknown) => {
    throw conversionError(error, plan.converter);
  });
  const results: ResultFile[] = [];
  const names = new ResultNames();
  for (const group of groups) {
    for (const output of group.outputs) {
      const name = names.next(plan.fileName ?? group.stem, output.ext);
      const stored = plan.storeFile
        ? await context.store.putBuffer(output.data, name, { contentType: output.contentType })
        : undefined;
      results.push({
        name,
        ext: output.ext,
        contentType: output.contentType,
        data: output.data,
        ...(stored ? { stored } : {}),
      });
    }
  }
  return results;
}

/** Runs the converter on the plan's inputs, or on its web page. */
async function produce(plan: ConversionPlan, context: ConvertApiContext): Promise<ResultGroup[]> {
  const { conversions } = context;
  const { converter, options } = plan;
  if (converter.kind === 'web') {
    const page = await fetchPage(plan.url);
    return [{ stem: stem(page.name), outputs: await conversions.convert(page, converter.to, options) }];
  }
  const inputs: ConversionInput[] = [];
  for (const file of plan.inputs) {
    inputs.push({ data: await context.store.read(file.id), name: file.name, from: converter.from });
  }
  // Combined results are named after the first input: the SDKs' own tests expect `test.zip` from test.docx
  // or test.pdf inputs (PY test_chained_conversion, GO TestChained, PHP testConvertWithMultipleFiles).
  const first = stem(plan.inputs[0]?.name ?? 'file');
  switch (converter.kind) {
    case 'merge':
      return [{ stem: first, outputs: [await conversions.mergePdfs(inputs, first)] }];
    case 'zip':
      return [{ stem: first, outputs: [await conversions.zip(inputs, first)] }];
    case 'split': {
      const groups: ResultGroup[] = [];
      for (const input of inputs)
        groups.push({ stem: stem(input.name), outputs: await conversions.splitPdf(input) });
      return groups;
    }
    case 'format': {
      const groups: ResultGroup[] = [];
      for (const input of inputs) {
        groups.push({
          stem: stem(input.name),
          outputs: await conversions.convert(input, converter.to, options),
        });
      }
      return groups;
    }
  }
}

/**
 * The web page as a file to convert: HTML, or plain text when the server says so. Only loopback URLs
 * are fetched; any other is 5007 "unable to download" with the reason (docs/convertapi.md §5).
 */
async function fetchPage(url: URL | undefined): Promise<ConversionInput> {
  if (!url) throw errors.cannotDownload();
  try {
    const page = await fetchAllowed(url);
    const from = page.contentType === 'text/plain' ? 'txt' : 'html';
    const named = page.filename ?? page.url.hostname.replace(/[^a-z0-9-]+/gi, '_');
    const name = formatOfFileName(named) === from ? named : `${stem(named)}.${from}`;
    return { data: page.data, name, from };
  } catch (error) {
    if (error instanceof NotLoopbackError || error instanceof FetchFailedError) {
      throw errors.cannotDownload(error.message);
    }
    throw error;
  }
}

/**
 * A failed conversion in the service's codes (docs/convertapi.md §5): 5000 past the time limit, 5002
 * for image inputs that cannot be decoded ("damaged"), 5001 for the rest.
 */
function conversionError(error: unknown, converter: ConverterSpec): ConvertApiError {
  if (error instanceof ConvertApiError) return error;
  if (error instanceof UnsupportedConversionError) return errors.unsupported(error.from, error.to);
  if (error instanceof ConversionTimeoutError) return errors.timeout();
  if (error instanceof ConversionFailedError && MULTI_FILE_SOURCES.has(converter.from))
    return errors.fileDamaged();
  return errors.conversionFailed(error instanceof ConversionFailedError ? error.message : undefined);
}

/** Output names: `report.pdf`, then `report-2.pdf`, `report-3.pdf` as the real service numbers pages. */
class ResultNames {
  readonly #used = new Set<string>();

  next(stemName: string, ext: string): string {
    const base = stemName.toLowerCase().endsWith(`.${ext.toLowerCase()}`)
      ? stemName.slice(0, -ext.length - 1)
      : stemName;
    let name = `${base}.${ext}`;
    for (let n = 2; this.#used.has(name.toLowerCase()); n++) name = `${base}-${n}.${ext}`;
    this.#used.add(name.toLowerCase());
    return name;
  }
}

function stem(name: string): string {
  const base = basename(name);
  return base.slice(0, base.length - extname(base).length) || base || 'file';
}

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return false;
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

async function deleteInlineFiles(parameters: ConvertParameters, context: ConvertApiContext): Promise<void> {
  await Promise.all(parameters.inlineFiles.map((file) => context.store.delete(file.id)));
}

/** On completion the service POSTs `{"JobId":"…"}` to the WebHook URL (docs/convertapi.md §4); failures are ignored. */
function notifyWebHook(url: string, jobId: string): void {
  void fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ JobId: jobId }),
  }).catch(() => undefined);
}
