import { ConvertError, toConvertError } from '../engine/errors.js';
import { retryAfterMs, upload } from '../engine/transport.js';
import { withRetry } from '../engine/retry.js';
import type { UploadForm } from './cloudconvert-parse.js';

/** How a file reached the storage host: `confirmed` by its answer, or sent blind (the job will tell). */
export type UploadOutcome = 'confirmed' | 'unconfirmed';

function formData(form: UploadForm, file: File): FormData {
  const data = new FormData();
  for (const [name, value] of form.fields) data.append(name, value);
  // S3 ignores whatever follows the file part, so the file goes last.
  data.append('file', file, file.name);
  return data;
}

/**
 * POSTs `file` to an import task's form with upload progress; never with an Authorization header
 * (S3 refuses it). A progress upload needs a CORS preflight, and the storage host's CORS rules are
 * unconfirmed: when it fails at the network level (a refused preflight looks exactly like that),
 * the file is sent again as a no-preflight `no-cors` POST, whose opaque answer says nothing; the
 * import task's status is then the outcome. A dropped connection looks the same and takes the same
 * path, which is harmless: a second post to a task that has its file is refused, and the task tells.
 * `corsRefused` remembers such storage origins, so that later files skip the failing preflight.
 */
export async function uploadToForm(
  form: UploadForm,
  file: File,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  corsRefused: Set<string>,
): Promise<UploadOutcome> {
  const body = formData(form, file);
  const origin = form.url.origin;
  if (!corsRefused.has(origin)) {
    try {
      await withRetry(
        async () => {
          const result = await upload({
            url: form.url,
            body,
            signal,
            onProgress: (loaded, total) => {
              onProgress(total > 0 ? Math.min(1, loaded / total) : 0);
            },
          });
          if (result.status >= 200 && result.status < 300) return;
          throw new ConvertError('upload-failed', `CloudConvert's storage answered ${result.status}.`, {
            status: result.status,
            retryAfterMs: retryAfterMs(result.headers),
            transient: result.status === 429 || result.status >= 500,
          });
        },
        { signal },
      );
      return 'confirmed';
    } catch (error) {
      if (toConvertError(error).code !== 'network') throw error;
      corsRefused.add(origin);
    }
  }
  try {
    await fetch(form.url, {
      method: 'POST',
      body,
      mode: 'no-cors',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw toConvertError(signal.reason);
    throw new ConvertError('network', `Could not reach ${origin}.`, { cause: error });
  }
  onProgress(1);
  return 'unconfirmed';
}
