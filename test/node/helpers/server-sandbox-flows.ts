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
