import assert from 'node:assert/strict';

/** Uploads `content` to ConvertAPI's `/upload` (no credential, as the element does) and returns the FileId. */
export async function convertApiUpload(base: string, name: string, content: string): Promise<string> {
  const response = await fetch(`${base}/upload?filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    body: content,
  });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { FileId: string }).FileId;
}

/** One ConvertAPI conversion with `token` as Bearer, as the element sends it. */
export async function convertApiConvert(
  base: string,
  token: string,
  fileId: string,
): Promise<{ status: number; body: { Code?: number; Files?: Array<{ Url?: string }> } }> {
  const response = await fetch(`${base}/convert/txt/to/pdf`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      Parameters: [
        { Name: 'File', FileValue: { Id: fileId } },
        { Name: 'StoreFile', Value: true },
      ],
    }),
  });
  return { status: response.status, body: (await response.json()) as { Code?: number } };
}

/** The hidden fields and action of the consent page's approve form. */
export function approveForm(html: string): { action: string; fields: URLSearchParams } {
  const form = /<form method="post" action="([^"]+)" id="approve">([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the consent page has an approve form');
  const decode = (text: string) =>
    text
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.append(input[1] as string, decode(input[2] as string));
  }
  fields.append('approve', '1');
  return { action: decode(form[1] as string), fields };
}

/** Drives the consent page at `authorizeUrl` like a user clicking "Authorize"; returns the redirect target. */
export async function approveConsent(authorizeUrl: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  assert.equal(page.status, 200, 'consent page');
  const { action, fields } = approveForm(await page.text());
  const decision = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  assert.ok(decision.status >= 300 && decision.status < 400, `consent redirects (${decision.status})`);
  return new URL(decision.headers.get('location') ?? '');
}

/** Polls `url` (GET, JSON) until `done(body)` or the deadline. */
export async function pollJson<T>(url: string, done: (body: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url);
    assert.equal(response.status, 200, `poll ${url}`);
    const body = (await response.json()) as T;
    if (done(body) || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The sequence number of the sandbox's last logged request (0 when none): pass it to `requests(since)`. */
export function lastSeq(sandbox: { requests(): Array<{ seq: number }> }): number {
  return sandbox.requests().at(-1)?.seq ?? 0;
}

/**
 * Uploads `content` as `name` to a CloudConvert import/upload form (the storage host's S3-style POST), as the
 * element does; returns the status.
 */
export async function uploadToForm(
  form: { url: string; parameters: Record<string, string> },
  name: string,
  content: string,
): Promise<number> {
  const body = new FormData();
  for (const [key, value] of Object.entries(form.parameters)) body.append(key, value);
  body.append('file', new Blob([content], { type: 'text/plain' }), name);
  const response = await fetch(form.url, { method: 'POST', body });
  await response.arrayBuffer();
  return response.status;
}

/**
 * A second valid credential for the sandbox's CloudConvert API: an OAuth access token (a JWT with the task
 * scopes, logged by the sandbox as kind `access-token`, unlike its API key), got through the consent page.
 */
export async function sandboxAccessToken(cloudconvert: {
  oauth: string;
  clientId: string;
  clientSecret: string;
}): Promise<string> {
  return (await sandboxOAuthTokens(cloudconvert)).accessToken;
}

/** An access and a refresh token from the sandbox's OAuth host, through its consent page and the code exchange. */
export async function sandboxOAuthTokens(cloudconvert: {
  oauth: string;
  clientId: string;
  clientSecret: string;
}): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
  const redirectUri = 'http://127.0.0.1:9/callback';
  const authorize = new URL(`${cloudconvert.oauth}/authorize`);
  authorize.search = new URLSearchParams({
    client_id: cloudconvert.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'task.read task.write',
    state: 'state-for-a-test-key',
  }).toString();
  const back = await approveConsent(authorize.href);
  const response = await fetch(`${cloudconvert.oauth}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cloudconvert.clientId,
      client_secret: cloudconvert.clientSecret,
      redirect_uri: redirectUri,
      code: back.searchParams.get('code') ?? '',
    }).toString(),
  });
  assert.equal(response.status, 200, 'the code exchange');
  const tokens = (await response.json()) as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
  };
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  };
}

/**
 * A `fetch` for the kit that sends CloudConvert's public API hosts (production and CloudConvert's own
 * sandbox) to the local sandbox's API, as a DNS override would, recording the URL the kit asked for. The
 * answers are the local sandbox's own.
 */
export function routedToSandbox(api: string): ((
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>) & {
  asked: string[];
} {
  const asked: string[] = [];
  const routed = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    asked.push(url);
    const local = url.replace(/^https:\/\/api\.(sandbox\.)?cloudconvert\.com\/v2(?=\/|$)/, api);
    return fetch(local, init);
  };
  return Object.assign(routed, { asked });
}

/** Sets the sandbox CloudConvert account's credits (`PATCH /__sandbox/account`); returns what it had. */
export async function setCloudConvertCredits(
  cloudconvert: { api: string; apiKey: string },
  credits?: number,
): Promise<number> {
  const { api } = cloudconvert;
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${cloudconvert.apiKey}` };
  const before = await fetch(`${api.replace(/\/v2$/, '')}/__sandbox/account`, {
    method: 'PATCH',
    headers,
    body: '{}',
  });
  assert.equal(before.status, 200, 'the sandbox account');
  const had = ((await before.json()) as { data: { credits: number } }).data.credits;
  if (credits !== undefined) {
    const set = await fetch(`${api.replace(/\/v2$/, '')}/__sandbox/account`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ credits }),
    });
    assert.equal(set.status, 200, 'the sandbox account');
    await set.arrayBuffer();
  }
  return had;
}
