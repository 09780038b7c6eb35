import { BodyError, readJson } from '../body.js';
import type { SandboxRequest } from '../types.js';

/** Largest JSON body accepted (import/base64 carries whole files). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * The JSON body of an API request; an empty or malformed body reads as `{}`, as Laravel does, so
 * that validation answers 422 rather than a parse error.
 */
export async function readJsonBody(request: SandboxRequest): Promise<unknown> {
  try {
    return await readJson(request.body, MAX_JSON_BYTES);
  } catch (error) {
    if (error instanceof BodyError && error.kind === 'bad-json') return {};
    throw error;
  }
}
