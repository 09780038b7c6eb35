import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import {
  cloudConvertOAuth,
  convertApiTokens,
  memoryTokenStore,
  toNodeListener,
  type RequestHandler,
} from '../../../src/server/index.js';
import { batchBody, TEST_KEY, TEST_SECRET, type Answer } from '../helpers/server-fixtures.js';
import { listen, mountedLikeExpress } from '../helpers/server-node-http.js';

const tokens = convertApiTokens({ secret: TEST_SECRET, apiKey: '123456789', bindClientIp: true });

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('toNodeListener with node:http', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    server = await listen(toNodeListener(tokens));
  });
  after(() => server.close());

  it('serves a handler and gives it the TCP peer address as the client IP', async () => {
    const response = await post(`${server.url}/api/convert/token`, batchBody('convertapi', 2));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const { token } = (await response.json()) as { token: string };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_SECRET));
    assert.equal(payload.UserIp, '127.0.0.1');
  });

  it('does not take the client IP from X-Forwarded-For by default', async () => {
    const response = await post(`${server.url}/x`, batchBody('convertapi', 1), {
      'X-Forwarded-For': '6.6.6.6',
    });
    const { token } = (await response.json()) as { token: string };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_SECRET));
    assert.equal(payload.UserIp, '127.0.0.1');
  });

  it('answers 413 to an oversized streamed body without waiting for all of it', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = httpRequest(`${server.url}/api/convert/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      });
      outgoing.on('response', (incoming) => {
        let body = '';
        incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
        incoming.on('end', () => {
          resolve({ status: incoming.statusCode ?? 0, body });
        });
      });
      outgoing.on('error', reject);
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      const pump = (): void => {
        // 64 MB would take a while; the answer must arrive long before that.
        while (sent < 4096 && outgoing.write(chunk)) sent += 1;
        if (sent < 4096 && !outgoing.destroyed) outgoing.once('drain', pump);
      };
      pump();
    });
    assert.equal(answer.status, 413);
    assert.equal((JSON.parse(answer.body) as Answer).error.code, 'payload-too-large');
  });
});

describe('toNodeListener mounted like Express', () => {
  it('matches routes on the original URL and passes handler crashes to next', async () => {
    const nextErrors: unknown[] = [];
    const crashing: RequestHandler = () => Promise.reject(new Error('boom'));
    const oauth = cloudConvertOAuth({
      clientId: 'client',
      clientSecret: 'client-secret',
      redirectUri: 'http://127.0.0.1/api/convert/oauth/callback',
      store: memoryTokenStore(),
      encryptionKey: TEST_KEY,
      authorizeUrl: 'https://oauth.example/authorize',
    });
    const routes = {
      oauth: mountedLikeExpress('/api/convert/oauth', toNodeListener(oauth)),
      crash: mountedLikeExpress('/crash', toNodeListener(crashing), (error) => {
        nextErrors.push(error);
      }),
    };
    const server = await listen((request, response) => {
      if (request.url?.startsWith('/crash')) {
        routes.crash(request, response);
        setTimeout(() => response.writableEnded || response.end('handled by next'), 50);
      } else routes.oauth(request, response);
    });
    try {
      const start = await fetch(`${server.url}/api/convert/oauth/start`, { redirect: 'manual' });
      assert.equal(start.status, 302);
      assert.equal(start.headers.getSetCookie().length, 2, 'both cookies survive the adapter');
      assert.match(start.headers.get('location') ?? '', /^https:\/\/oauth\.example\/authorize\?/);
      await (await fetch(`${server.url}/crash`)).text();
      assert.equal((nextErrors[0] as Error).message, 'boom');
    } finally {
      await server.close();
    }
  });

  it('accepts a body a JSON body parser already consumed', async () => {
    const listener = toNodeListener(tokens);
    const server = await listen((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        Object.assign(request, { body: JSON.parse(raw) as unknown });
        listener(request, response);
      });
    });
    try {
      const response = await post(`${server.url}/token`, batchBody('convertapi', 1));
      assert.equal(response.status, 200);
    } finally {
      await server.close();
    }
  });
});
