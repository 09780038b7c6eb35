import { SignJWT } from 'jose';
import type { FetchFunction } from '../../../src/server/index.js';

/** A ConvertAPI-like secret for unit tests (32 characters, like the sandbox's). */
export const TEST_SECRET = 'unit-test-secret-0123456789abcdef';
/** A ticket / encryption secret of the required length. */
export const TEST_KEY = 'unit-test-key-0123456789abcdef0123456789';
/** The endpoint's own origin in unit tests. */
export const SITE = 'https://site.example';
/** A cross-origin page listed in `allowedOrigins`. */
export const PARTNER = 'https://partner.example';

/** One file description of the token-endpoint contract. */
export function fileOf(
  index: number,
  size = 1000,
  extension = 'docx',
): { name: string; size: number; type: string } {
  return { name: `file-${index}.${extension}`, size, type: 'application/octet-stream' };
}

/** A token-endpoint body for `count` files. */
export function batchBody(
  provider: 'convertapi' | 'cloudconvert',
  count: number,
  to = 'pdf',
): Record<string, unknown> {
  return { provider, from: 'docx', to, files: Array.from({ length: count }, (_, index) => fileOf(index)) };
}

/** A POST with a JSON body, as the element sends it; `origin: null` sends no Origin header (non-browser client). */
export function postJson(
  url: string,
  body: unknown,
  { origin = SITE, headers = {} }: { origin?: string | null; headers?: Record<string, string> } = {},
): Request {
  return new Request(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(origin === null ? {} : { Origin: origin }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** An upstream call the kit made, as `passThroughFetch` records it. */
export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  /** The answer's body (recorded by `passThroughFetch` only). */
  answer?: string;
}

/** A JWT shaped like a CloudConvert API key (only its shape and scopes matter to the server kit). */
export function fakeCloudConvertKey(
  scopes: string[] = ['task.read', 'task.write'],
  subject = '1',
): Promise<string> {
  return new SignJWT({ scopes })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setExpirationTime('100y')
    .sign(new TextEncoder().encode(`key-for-${subject}-0123456789abcdef0123456789`));
}

/** A task in any answer of the kit (creation or status view). */
export interface AnswerTask {
  id: string;
  name: string;
  operation: string;
  status: string;
  percent?: number | null;
  result?: {
    form?: { url: string; parameters: Record<string, string> };
    files?: Array<{ filename: string; size?: number; url: string }>;
  };
}

/** Every field any answer of the kit may carry, for assertions (absent fields read as `undefined`). */
export interface Answer {
  error: { code: string; message: string; loginUrl?: string };
  provider: string;
  token: string;
  expiresAt: string;
  requestCount: number;
  accessToken: string;
  statusUrl: string;
  disconnected: boolean;
  job: { id: string; status: string; tasks: AnswerTask[] };
}

/** The JSON body of `response`. */
export async function bodyOf(response: Response): Promise<Answer> {
  return (await response.json()) as Answer;
}

/**
 * A `fetch` that passes every call through to the network (the sandbox) unchanged and records it: the answers
 * are the sandbox's own; the record lets a test see what the kit sent (a form body, a header).
 */
export function passThroughFetch(): FetchFunction & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const through = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const call: RecordedCall = {
      url: input instanceof Request ? input.url : input.toString(),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : '',
    };
    calls.push(call);
    const response = await fetch(input, init);
    call.answer = await response.clone().text();
    return response;
  };
  return Object.assign(through, { calls });
}
