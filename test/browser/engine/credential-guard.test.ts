import { parseCloudConvertCredential } from '../../../src/providers/cloudconvert-credential.js';
import { parseConvertApiCredential } from '../../../src/providers/convertapi-credential.js';
import { expect } from '@open-wc/testing';
import { SignJWT } from 'jose';
import { guardTokenResponse, type GuardOptions } from '../../../src/engine/credential-guard.js';
import { ConvertError } from '../../../src/engine/errors.js';

const now = Date.parse('2026-11-22T10:00:00Z');
const key = new TextEncoder().encode('a test key that is long enough for HS256 signing');
const convertApi: GuardOptions = {
  provider: 'convertapi',
  parse: parseConvertApiCredential,
  maxLifetimeSeconds: 3600,
  baseUrl: 'https://host.example/',
  now: () => now,
};
const cloudConvert: GuardOptions = {
  ...convertApi,
  provider: 'cloudconvert',
  parse: parseCloudConvertCredential,
};

function jwt(claims: Record<string, unknown>, algorithm = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: algorithm, typ: 'JWT' }).sign(key);
}

function refusal(run: () => unknown): ConvertError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ConvertError);
    expect((error as ConvertError).code).to.equal('token-rejected');
    return error as ConvertError;
  }
  throw new Error('expected the guard to refuse');
}

const seconds = (ms: number) => Math.floor(ms / 1000);

describe('credential guard', () => {
  it('accepts a ConvertAPI JWT with a near ValidUntil and takes its RequestCount', async () => {
    const token = await jwt({ Id: 'Ab3dE6gH', RequestCount: 3, ValidUntil: seconds(now) + 600, ApiKey: '1' });
    const credential = guardTokenResponse({ provider: 'convertapi', token, requestCount: 5 }, convertApi);
    expect(credential).to.deep.include({
      kind: 'convertapi-token',
      uses: 3,
      expiresAt: (seconds(now) + 600) * 1000,
    });
  });

  it('refuses a JWT valid longer than max-token-lifetime, or with no expiry at all', async () => {
    const longLived = await jwt({ Id: 'x', RequestCount: 1, ValidUntil: seconds(now) + 7200 });
    expect(refusal(() => guardTokenResponse({ token: longLived }, convertApi)).message).to.contain(
      'longer than 3600',
    );
    const noExpiry = await jwt({ Id: 'x', RequestCount: 1 });
    expect(
      refusal(() =>
        guardTokenResponse({ token: noExpiry, expiresAt: new Date(now + 60_000).toISOString() }, convertApi),
      ).message,
    ).to.contain('no expiry');
  });

  it('refuses a CloudConvert API key (a JWT valid until about 2119)', async () => {
    const apiKey = await jwt(
      { aud: '1', jti: 'k', sub: '42', scopes: ['task.write'], exp: seconds(Date.parse('2119-01-01')) },
      'HS256',
    );
    refusal(() => guardTokenResponse({ provider: 'cloudconvert', accessToken: apiKey }, cloudConvert));
  });

  it('refuses an API key even when the endpoint states a near expiresAt beside it', async () => {
    const apiKey = await jwt({ sub: '42', scopes: ['task.write'], exp: seconds(Date.parse('2119-01-01')) });
    const expiresAt = new Date(now + 60_000).toISOString();
    refusal(() =>
      guardTokenResponse({ provider: 'cloudconvert', accessToken: apiKey, expiresAt }, cloudConvert),
    );
    refusal(() => guardTokenResponse({ provider: 'convertapi', token: apiKey, expiresAt }, convertApi));
  });

  it('accepts a short-lived CloudConvert access token', async () => {
    const accessToken = await jwt({ sub: '42', scopes: ['task.read'], exp: seconds(now) + 900 });
    const credential = guardTokenResponse(
      { provider: 'cloudconvert', accessToken, expiresAt: new Date(now + 900_000).toISOString() },
      cloudConvert,
    );
    expect(credential.kind).to.equal('cloudconvert-access-token');
  });

  it('requires a near expiresAt for opaque tokens', () => {
    refusal(() => guardTokenResponse({ provider: 'convertapi', token: 'mKRuP5zW' }, convertApi));
    refusal(() =>
      guardTokenResponse(
        { token: 'mKRuP5zW', expiresAt: new Date(now + 86_400_000).toISOString() },
        convertApi,
      ),
    );
    refusal(() =>
      guardTokenResponse({ token: 'mKRuP5zW', expiresAt: new Date(now - 1000).toISOString() }, convertApi),
    );
    const credential = guardTokenResponse(
      { token: 'mKRuP5zW', expiresAt: new Date(now + 60_000).toISOString(), requestCount: 2 },
      convertApi,
    );
    expect(credential).to.deep.include({ kind: 'convertapi-token', uses: 2 });
  });

  for (const field of ['secret', 'apiKey', 'api_key', 'clientSecret', 'refreshToken', 'refresh_token']) {
    it(`refuses an answer carrying \`${field}\`, even nested`, () => {
      const expiresAt = new Date(now + 60_000).toISOString();
      refusal(() => guardTokenResponse({ token: 't', expiresAt, [field]: 'x' }, convertApi));
      refusal(() =>
        guardTokenResponse({ token: 't', expiresAt, extra: [{ deep: { [field]: 'x' } }] }, convertApi),
      );
    });
  }

  it('refuses answers that are not objects, for another provider, or without the credential', () => {
    for (const answer of [
      null,
      'token',
      42,
      [],
      { provider: 'cloudconvert', token: 't' },
      { provider: 'convertapi' },
      { token: '' },
    ]) {
      refusal(() => guardTokenResponse(answer, convertApi));
    }
  });

  it('takes a server job with a same-origin statusUrl and refuses a plain-http one', () => {
    const credential = guardTokenResponse(
      { provider: 'cloudconvert', job: { id: 'j' }, statusUrl: '/api/convert/jobs/t' },
      cloudConvert,
    );
    expect(credential.kind).to.equal('cloudconvert-job');
    refusal(() =>
      guardTokenResponse(
        { provider: 'cloudconvert', job: { id: 'j' }, statusUrl: 'http://evil.example/s' },
        cloudConvert,
      ),
    );
  });
});

describe("credential guard: the security review's lows", () => {
  it('refuses every credential while max-token-lifetime is not a positive number ("1h" is NaN)', async () => {
    const token = await jwt({ Id: 'Ab3dE6gH', RequestCount: 1, ValidUntil: seconds(now) + 60 });
    for (const maxLifetimeSeconds of [Number('1h'), 0, -5]) {
      refusal(() =>
        guardTokenResponse({ provider: 'convertapi', token }, { ...convertApi, maxLifetimeSeconds }),
      );
    }
    // A long-lived key under an invalid setting: once accepted as valid until 2118.
    const longLived = await jwt({ exp: seconds(Date.parse('2118-01-01T00:00:00Z')) });
    refusal(() =>
      guardTokenResponse(
        { accessToken: longLived, expiresAt: now / 1000 + 60 },
        { ...cloudConvert, maxLifetimeSeconds: NaN },
      ),
    );
  });

  it('refuses fields whose names contain a secret-like word: secretKey, api_secret, privateKey, credentials', async () => {
    const token = await jwt({ Id: 'Ab3dE6gH', RequestCount: 1, ValidUntil: seconds(now) + 60 });
    for (const field of ['secretKey', 'api_secret', 'privateKey', 'credentials', 'client-secret-value']) {
      const error = refusal(() =>
        guardTokenResponse({ provider: 'convertapi', token, [field]: 'x' }, convertApi),
      );
      expect(error.message).to.include(field);
    }
  });

  it("takes a server job whose upload form carries S3's X-Amz-Credential (a key id and scope, made for browsers)", () => {
    const job = {
      id: 'j',
      tasks: [
        {
          name: 'import-0',
          operation: 'import/upload',
          result: {
            form: {
              url: 'https://storage.example/tasks',
              parameters: {
                'X-Amz-Credential': 'AKIA/20261125/us-east-1/s3/aws4_request',
                'X-Amz-Signature': 'ab',
              },
            },
          },
        },
      ],
    };
    const credential = guardTokenResponse(
      { provider: 'cloudconvert', job, statusUrl: '/api/jobs/t' },
      cloudConvert,
    );
    expect(credential.kind).to.equal('cloudconvert-job');
    refusal(() =>
      guardTokenResponse(
        { provider: 'cloudconvert', job: { credentials: 'x' }, statusUrl: '/api/jobs/t' },
        cloudConvert,
      ),
    );
  });

  it('reads a JWT behind a "Bearer " prefix, and refuses it when it is long-lived', async () => {
    const longLived = await jwt({ exp: seconds(Date.parse('2118-01-01T00:00:00Z')) });
    refusal(() =>
      guardTokenResponse({ accessToken: `Bearer ${longLived}`, expiresAt: now / 1000 + 60 }, cloudConvert),
    );
    const near = await jwt({ exp: seconds(now) + 120 });
    const credential = guardTokenResponse({ accessToken: `Bearer ${near}` }, cloudConvert);
    expect(credential).to.deep.include({ kind: 'cloudconvert-access-token', secretValue: near });
  });
});
