import { createHash, randomBytes } from 'node:crypto';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/index.js';

/** A started sandbox plus small helpers to talk to its CloudConvert hosts. */
export interface CloudConvertHarness {
  sandbox: Sandbox;
  cc: Sandbox['cloudconvert'];
  /** A JSON request to the api host (`path` after `/v2`), with the API key unless `token` says otherwise. */
  api: (path: string, init?: ApiInit) => Promise<Response>;
  /** The same against the sync host. */
  sync: (path: string, init?: ApiInit) => Promise<Response>;
  /** `data` of a successful api response, failing loudly otherwise. */
  apiData: <T = Record<string, unknown>>(path: string, init?: ApiInit) => Promise<T>;
  close: () => Promise<void>;
}

export interface ApiInit {
  method?: string;
  body?: unknown;
  /** Bearer token; `null` sends none. Defaults to the sandbox API key. */
  token?: string | null;
}

/** The `result.form` of an import/upload task. */
export interface UploadForm {
  url: string;
  parameters: Record<string, string>;
}

/** Loosely typed task JSON as the API answers it. */
export type TaskJson = Record<string, unknown> & {
  id: string;
  name?: string;
  status: string;
  percent: number;
  code: string | null;
  operation: string;
  result: null | {
    form?: UploadForm;
    files?: Array<{ filename: string; size?: number; url?: string; md5?: string }>;
  };
};

/** Loosely typed job JSON. */
export type JobJson = Record<string, unknown> & { id: string; status: string; tasks: TaskJson[] };

/** Starts a sandbox (quick processing by default) and wraps its CloudConvert hosts. */
export async function startCloudConvert(options: SandboxOptions = {}): Promise<CloudConvertHarness> {
  const sandbox = await startSandbox({ processingMs: 150, ...options });
  const cc = sandbox.cloudconvert;
  const call =
    (base: string) =>
    async (path: string, init: ApiInit = {}) => {
      const token = init.token === undefined ? cc.apiKey : init.token;
      const headers: Record<string, string> = {};
      if (token !== null) headers['Authorization'] = `Bearer ${token}`;
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      return fetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        redirect: 'manual',
      });
    };
  const api = call(cc.api);
  return {
    sandbox,
    cc,
    api,
    sync: call(cc.sync),
    async apiData<T>(path: string, init?: ApiInit): Promise<T> {
      const response = await api(path, init);
      const text = await response.text();
      if (!response.ok)
        throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${text}`);
      return (JSON.parse(text) as { data: T }).data;
    },
    close: () => sandbox.close(),
  };
}

/**
 * Posts a file to an upload form as multipart: the form's parameters then `file` (the order every
 * SDK uses), or `file` first when `fileFirst` is set.
 */
export async function postUploadForm(
  form: UploadForm,
  file: { name: string; data: Buffer | string },
  options: {
    fileFirst?: boolean;
    parameters?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const body = new FormData();
  const blob = new Blob([new Uint8Array(typeof file.data === 'string' ? Buffer.from(file.data) : file.data)]);
  if (options.fileFirst) body.append('file', blob, file.name);
  for (const [name, value] of Object.entries(options.parameters ?? form.parameters)) body.append(name, value);
  if (!options.fileFirst) body.append('file', blob, file.name);
  return fetch(form.url, { method: 'POST', body, ...(options.headers ? { headers: options.headers } : {}) });
}

/** A job of import/upload → convert → export/url, named `upload`, `convert`, `export`. */
export function uploadConvertExportTasks(outputFormat = 'pdf'): Record<string, Record<string, unknown>> {
  return {
    upload: { operation: 'import/upload' },
    convert: { operation: 'convert', input: 'upload', output_format: outputFormat },
    export: { operation: 'export/url', input: 'convert' },
  };
}

/** The named task of a job, failing when absent. */
export function taskNamed(job: JobJson, name: string): TaskJson {
  const task = job.tasks.find((candidate) => candidate.name === name);
  if (!task) throw new Error(`job ${job.id} has no task ${name}`);
  return task;
}

/** Polls `GET /v2/jobs/{id}` until the job ends, returning every snapshot seen. */
export async function pollJob(
  harness: CloudConvertHarness,
  jobId: string,
  intervalMs = 20,
): Promise<JobJson[]> {
  const snapshots: JobJson[] = [];
  const deadline = Date.now() + 10_000;
  for (;;) {
    const job = await harness.apiData<JobJson>(`/jobs/${jobId}`);
    snapshots.push(job);
    if (job.status === 'finished' || job.status === 'error') return snapshots;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The hidden inputs of one form (by id) on the consent page, as a browser would submit them. */
export function formFields(html: string, formId: string): { action: string; fields: URLSearchParams } {
  const form = new RegExp(`<form[^>]*action="([^"]+)"[^>]*id="${formId}"[^>]*>([\\s\\S]*?)</form>`).exec(
    html,
  );
  if (!form) throw new Error(`no form #${formId} on the page`);
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.append(input[1]!, decodeEntities(input[2]!));
  }
  const button = /<button[^>]*name="([^"]+)"[^>]*value="([^"]*)"/.exec(form[2]!);
  if (button) fields.append(button[1]!, button[2]!);
  return { action: decodeEntities(form[1]!), fields };
}

/** Drives the consent page like a browser: loads it, submits Approve (or Deny), returns the redirect. */
export async function authorize(
  cc: Sandbox['cloudconvert'],
  params: Record<string, string>,
  decision: 'approve' | 'deny' = 'approve',
): Promise<URL> {
  const page = await fetch(`${cc.oauth}/authorize?${new URLSearchParams(params).toString()}`, {
    redirect: 'manual',
  });
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}`);
  const { action, fields } = formFields(await page.text(), decision);
  const answer = await fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}`);
  return new URL(location);
}

/** `POST {oauth}/token` with a form body; returns status and parsed JSON. */
export async function tokenRequest(
  cc: Sandbox['cloudconvert'],
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${cc.oauth}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Runs the whole code flow (with PKCE) and returns the token response. */
export async function accessTokenFor(
  cc: Sandbox['cloudconvert'],
  scope: string,
): Promise<Record<string, unknown>> {
  const { verifier, challenge } = pkcePair();
  const redirectUri = 'https://app.example/callback';
  const location = await authorize(cc, {
    response_type: 'code',
    client_id: cc.clientId,
    redirect_uri: redirectUri,
    scope,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const { status, body } = await tokenRequest(cc, {
    grant_type: 'authorization_code',
    client_id: cc.clientId,
    client_secret: cc.clientSecret,
    redirect_uri: redirectUri,
    code: location.searchParams.get('code') ?? '',
    code_verifier: verifier,
  });
  if (status !== 200) throw new Error(`token exchange answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
