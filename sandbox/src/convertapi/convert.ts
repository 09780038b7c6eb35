import { basename, extname } from 'node:path';
import {
  canConvert,
  convert,
  ConversionFailedError,
  UnsupportedConversionError,
} from '../conversions/index.js';
import { normalizeFormat } from '../conversions/formats.js';
import type { StoredFile } from '../file-store.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { AsyncJobs } from './async-jobs.js';
import { authorizeConversion } from './auth.js';
import type { ConvertApiContext } from './context.js';
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
/** Parameters the service itself reads; all others are handed to the converter as options. */
const SERVICE_PARAMETERS = new Set([
  'storefile',
  'timeout',
  'filename',
  'download',
  'jobid',
  'async',
  'webhook',
]);
/**
 * Sources whose converters take several files (`Files[i]`), converting each; the others take one and
 * answer 4000 to several (docs/convertapi.md §1). [?] Which real converters take several is not documented.
 */
export const MULTI_FILE_SOURCES = new Set(['png', 'jpg', 'webp', 'gif', 'tiff']);

interface ConversionPlan {
  from: string;
  to: string;
  inputs: StoredFile[];
  storeFile: boolean;
  fileName?: string;
  format: ResultFormat;
  options: Record<string, string>;
  jobId?: string;
  webHook?: string;
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
    if (!canConvert(from, to)) throw errors.unsupported(from, to);
    parameters = await readParameters(request, context.store);
    const plan = planConversion(parameters, from, to, request, context, mode);
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
  from: string,
  to: string,
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
  if (references.length === 0) invalid['File'] = ['The File field is required.'];
  else if (references.length > 1 && !MULTI_FILE_SOURCES.has(normalizeFormat(from))) {
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
    from,
    to,
    inputs,
    storeFile: storeFile ?? false,
    format: resultFormat(headerText(request.headers.accept), values.get('download')),
    options,
    ...(fileName ? { fileName } : {}),
    ...(mode === 'async' && jobId ? { jobId } : {}),
    ...(webHook && /^https?:\/\//i.test(webHook) ? { webHook } : {}),
  };
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
  const results: ResultFile[] = [];
  const names = new ResultNames();
  for (const input of plan.inputs) {
    const data = await context.store.read(input.id);
    const outputs = await convert({ data, name: input.name, from: plan.from }, plan.to, plan.options).catch(
      (error: unknown) => {
        throw conversionError(error, plan.from);
      },
    );
    for (const output of outputs) {
      const name = names.next(plan.fileName ?? stem(input.name), output.ext);
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

/** Image inputs that cannot be decoded are "damaged" (5002); other failures are 5001. */
function conversionError(error: unknown, from: string): ConvertApiError {
  if (error instanceof UnsupportedConversionError) return errors.unsupported(error.from, error.to);
  if (error instanceof ConversionFailedError && MULTI_FILE_SOURCES.has(normalizeFormat(from)))
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
