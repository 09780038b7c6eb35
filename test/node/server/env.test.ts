import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cloudConvertJobs,
  cloudConvertJobsEnv,
  cloudConvertOAuthEnv,
  convertApiEnv,
  convertApiTokens,
  ConfigurationError,
} from '../../../src/server/index.js';
import { fakeCloudConvertKey, TEST_KEY, TEST_SECRET } from '../helpers/server-fixtures.js';

describe('configuration from the environment', () => {
  it('reads ConvertAPI settings, with a comma-separated rotation list', () => {
    assert.deepEqual(
      convertApiEnv({ CONVERTAPI_SECRET: ' new-secret , old-secret ', CONVERTAPI_API_KEY: '123' }),
      {
        secrets: ['new-secret', 'old-secret'],
        apiKey: '123',
      },
    );
    const handler = convertApiTokens({
      ...convertApiEnv({ CONVERTAPI_SECRET: TEST_SECRET, CONVERTAPI_API_KEY: '1' }),
    });
    assert.equal(typeof handler, 'function');
  });

  it('names the missing variable, never a value', () => {
    // Every variable but one is set, each to a value that must not show in the message.
    const cases: Array<[(env: Record<string, string>) => unknown, Record<string, string>]> = [
      [convertApiEnv, { CONVERTAPI_SECRET: 'secret-value-1f3a9c', CONVERTAPI_API_KEY: 'api-key-value-77e1' }],
      [
        cloudConvertJobsEnv,
        {
          CLOUDCONVERT_API_KEY: 'cc-key-value-52b0',
          CLOUDCONVERT_SANDBOX: 'true',
          CONVERT_UPLOADER_ENCRYPTION_KEY: 'encryption-value-9d4e',
        },
      ],
      [
        cloudConvertOAuthEnv,
        {
          CLOUDCONVERT_CLIENT_ID: 'client-id-value-0c81',
          CLOUDCONVERT_CLIENT_SECRET: 'client-secret-value-6a2f',
          CLOUDCONVERT_REDIRECT_URI: 'https://site.example/callback-value-3e7d',
          CONVERT_UPLOADER_ENCRYPTION_KEY: 'encryption-value-9d4e',
        },
      ],
    ];
    let checked = 0;
    for (const [read, complete] of cases) {
      assert.doesNotThrow(() => read(complete));
      for (const missing of Object.keys(complete)) {
        if (missing === 'CLOUDCONVERT_SANDBOX' || missing === 'CONVERTAPI_API_KEY') continue; // optional
        const env = Object.fromEntries(Object.entries(complete).filter(([name]) => name !== missing));
        const error = (() => {
          try {
            read(env);
          } catch (thrown) {
            return thrown as Error;
          }
          return assert.fail(`nothing thrown without ${missing}`);
        })();
        assert.ok(error instanceof ConfigurationError, missing);
        assert.match(error.message, new RegExp(`\\b${missing}\\b`));
        for (const [name, value] of Object.entries(env)) {
          assert.ok(!error.message.includes(value), `the message for ${missing} shows ${name}'s value`);
        }
        checked += 1;
      }
    }
    assert.equal(checked, 7);
    // A present but blank variable is missing too, and its whitespace is no value to show.
    assert.throws(() => convertApiEnv({ CONVERTAPI_SECRET: '  ' }), {
      name: 'ConfigurationError',
      message: /^Set the environment variable CONVERTAPI_SECRET\.$/,
    });
  });

  it('reads CloudConvert server-job settings, falling back to the encryption key for tickets', async () => {
    const apiKey = await fakeCloudConvertKey();
    const env = {
      CLOUDCONVERT_API_KEY: apiKey,
      CLOUDCONVERT_SANDBOX: 'true',
      CONVERT_UPLOADER_ENCRYPTION_KEY: TEST_KEY,
    };
    assert.deepEqual(cloudConvertJobsEnv(env), {
      apiKeys: [apiKey],
      sandbox: true,
      ticketSecret: [TEST_KEY],
    });
    const own = cloudConvertJobsEnv({ ...env, CONVERT_UPLOADER_TICKET_SECRET: `${TEST_KEY}-tickets` });
    assert.deepEqual(own.ticketSecret, [`${TEST_KEY}-tickets`]);
    assert.equal(typeof cloudConvertJobs({ ...cloudConvertJobsEnv(env), formats: ['pdf'] }), 'function');
  });

  it('refuses a sandbox flag that is neither true nor false', () => {
    assert.throws(
      () =>
        cloudConvertJobsEnv({
          CLOUDCONVERT_API_KEY: 'k',
          CLOUDCONVERT_SANDBOX: 'maybe',
          CONVERT_UPLOADER_ENCRYPTION_KEY: 'x',
        }),
      ConfigurationError,
    );
  });

  it('reads OAuth settings', () => {
    const env = {
      CLOUDCONVERT_CLIENT_ID: 'id',
      CLOUDCONVERT_CLIENT_SECRET: 'secret',
      CLOUDCONVERT_REDIRECT_URI: 'https://site.example/cb',
      CONVERT_UPLOADER_ENCRYPTION_KEY: TEST_KEY,
    };
    assert.deepEqual(cloudConvertOAuthEnv(env), {
      clientId: 'id',
      clientSecret: 'secret',
      redirectUri: 'https://site.example/cb',
      sandbox: false,
      encryptionKey: [TEST_KEY],
    });
  });

  it('reads process.env by default', () => {
    const saved = process.env.CONVERTAPI_SECRET;
    process.env.CONVERTAPI_SECRET = 'from-process-env';
    try {
      assert.deepEqual(convertApiEnv().secrets, ['from-process-env']);
    } finally {
      if (saved === undefined) delete process.env.CONVERTAPI_SECRET;
      else process.env.CONVERTAPI_SECRET = saved;
    }
  });
});
