// Calls to the services never follow a redirect (it would carry the secret elsewhere), and ask for that in a
// way Cloudflare Workers accept: `redirect: 'manual'` (workerd refuses `redirect: 'error'`, which made every
// upstream call of the kit fail there; found by the runtime tests).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertApiTokens } from '../../../src/server/index.js';
import { batchBody, postJson, SITE, TEST_SECRET } from '../helpers/server-fixtures.js';
import { listen } from '../helpers/server-node-http.js';

describe('upstream redirects', () => {
  it('are not followed: the secret stays with the service, the caller gets 502', async () => {
    const elsewhere: string[] = [];
    const thief = await listen((request, response) => {
      elsewhere.push(`${request.method} ${request.url} ${request.headers.authorization ?? 'no credential'}`);
      response.end('{}');
    });
    const service = await listen((_request, response) => {
      response.writeHead(307, { Location: `${thief.url}/steal` });
      response.end();
    });
    const redirects: Array<RequestRedirect | undefined> = [];
    const errors: Error[] = [];
    try {
      const handler = convertApiTokens({
        secret: TEST_SECRET,
        mode: 'token',
        apiBase: service.url,
        clientIp: () => '192.0.2.1',
        onError: (error) => void errors.push(error),
        fetch: (input, init) => {
          redirects.push(init?.redirect);
          return fetch(input, init);
        },
      });
      const answer = await handler(postJson(`${SITE}/t`, batchBody('convertapi', 1), { origin: null }));
      assert.equal(answer.status, 502);
      assert.deepEqual(redirects, ['manual']);
      assert.deepEqual(elsewhere, []);
      assert.match(errors[0]?.message ?? '', /redirect/);
    } finally {
      await service.close();
      await thief.close();
    }
  });
});
