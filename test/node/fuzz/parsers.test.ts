import { credentialParsers } from '../../../src/providers/registry.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { guardTokenResponse } from '../../../src/engine/credential-guard.js';
import { ConvertError } from '../../../src/engine/errors.js';
import {
  answerError,
  chainState,
  parseExportFiles,
  parseJobAnswer,
  parseTaskAnswer,
  parseUploadForm,
  pickChain,
} from '../../../src/providers/cloudconvert-parse.js';
import { convertApiError, parseConversionResults } from '../../../src/providers/convertapi.js';
import { HostileValues } from './hostile-values.js';

const cases = 2000;

/** JSON text of a generated value (the generator's `undefined` becomes empty text). */
function json(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

/** Runs `parse` on `input`: it must return, or throw a ConvertError with one of `codes`; nothing else. */
function expectClean(parse: () => unknown, codes: readonly string[], input: unknown): unknown {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConvertError && codes.includes(error.code)) return undefined;
    const shown = json(input).slice(0, 300);
    assert.fail(`${String(error)} for ${shown}`);
  }
}

function assertPrototypeClean(): void {
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.keys(Object.prototype).length, 0);
}

const validConversion = {
  ConversionCost: 1,
  Files: [
    {
      FileName: 'a.pdf',
      FileExt: 'pdf',
      FileSize: 10,
      FileId: 'abc',
      Url: 'https://v2.convertapi.com/d/abc/a.pdf',
    },
  ],
};

describe('fuzzing: hostile answers to the parsers and the credential guard', () => {
  it(`ConvertAPI results: ${cases} hostile answers are parsed to safe results or refused as invalid-response`, () => {
    const values = new HostileValues(1);
    for (let index = 0; index < cases; index += 1) {
      const input = index % 2 === 0 ? values.mutate(validConversion) : values.value();
      const results = expectClean(() => parseConversionResults(input, 'pdf'), ['invalid-response'], input);
      for (const result of (results ?? []) as { url: string; name: string; size?: number }[]) {
        assert.match(result.url, /^(https:|http:\/\/(127\.0\.0\.1|localhost|\[::1\]))/);
        assert.equal(typeof result.name, 'string');
        assert.ok(result.size === undefined || (Number.isFinite(result.size) && result.size >= 0));
      }
    }
    const deep = { Files: values.deep(10_000) };
    expectClean(() => parseConversionResults(deep, 'pdf'), ['invalid-response'], 'deep nesting');
  });

  it(`ConvertAPI error answers: ${cases} hostile bodies map to a stable code and a short message`, () => {
    const values = new HostileValues(2);
    for (let index = 0; index < cases; index += 1) {
      const body = values.value();
      const text = index % 5 === 0 ? values.string() : json(body);
      const status = values.pick([400, 401, 402, 404, 415, 429, 500, 502, 503]);
      const error = convertApiError(
        {
          status,
          headers: new Headers({
            'retry-after': values.pick([
              '1',
              '120',
              'soon',
              'Wed, 21 Oct 2015 07:28:00 GMT',
              '-5',
              '1e308',
              '',
              'NaN',
            ]),
          }),
          text,
        },
        'convert',
      );
      assert.ok(error instanceof ConvertError);
      assert.ok(error.message.length < 800, 'a message stays short');
      assert.ok(error.retryAfterMs === undefined || Number.isFinite(error.retryAfterMs));
    }
    assertPrototypeClean();
  });

  it(`credential guard: ${cases} hostile token answers are accepted only when short-lived, else token-rejected`, async () => {
    const values = new HostileValues(3);
    const now = Date.now();
    const key = new TextEncoder().encode('fuzzing key that is long enough for HS256');
    const good = await new SignJWT({
      Id: 'aaaaaaaa',
      RequestCount: 2,
      ValidUntil: Math.floor(now / 1000) + 300,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(key);
    const valid = {
      provider: 'convertapi',
      token: good,
      expiresAt: new Date(now + 300_000).toISOString(),
      requestCount: 2,
    };
    for (let index = 0; index < cases; index += 1) {
      const input = index % 2 === 0 ? values.mutate(valid) : values.value();
      for (const provider of ['convertapi', 'cloudconvert'] as const) {
        const credential = expectClean(
          () =>
            guardTokenResponse(input, {
              provider,
              parse: credentialParsers[provider],
              maxLifetimeSeconds: 3600,
              baseUrl: 'https://host.example/',
              now: () => now,
            }),
          ['token-rejected'],
          input,
        ) as { expiresAt?: number; kind: string } | undefined;
        if (credential && credential.kind !== 'cloudconvert-job') {
          assert.ok(
            credential.expiresAt !== undefined &&
              credential.expiresAt > now &&
              credential.expiresAt <= now + 3_600_000,
          );
        }
      }
    }
    expectClean(
      () =>
        guardTokenResponse(
          { token: 't', nested: values.deep(10_000) },
          {
            provider: 'convertapi',
            parse: credentialParsers.convertapi,
            maxLifetimeSeconds: 60,
            baseUrl: 'https://h.example/',
          },
        ),
      ['token-rejected'],
      'deep',
    );
    assertPrototypeClean();
  });

  it(`CloudConvert jobs, tasks, forms and results: ${cases} hostile answers read safely or refused as invalid-response`, () => {
    const values = new HostileValues(4);
    const task = (name: string, operation: string, result: unknown) => ({
      id: `${name}-id`,
      name,
      operation,
      status: 'finished',
      percent: 100,
      code: null,
      message: null,
      result,
    });
    const validJob = {
      data: {
        id: 'job',
        status: 'finished',
        tasks: [
          task('import-0', 'import/upload', {
            form: { url: 'https://storage.example/tasks', parameters: { key: 'k' } },
          }),
          task('convert-0', 'convert', null),
          task('export-0', 'export/url', {
            files: [{ filename: 'a.pdf', size: 3, url: 'https://storage.example/a.pdf' }],
          }),
        ],
      },
    };
    for (let index = 0; index < cases; index += 1) {
      const input = index % 2 === 0 ? values.mutate(validJob) : values.value();
      const job = expectClean(() => parseJobAnswer(input), ['invalid-response'], input) as
        ReturnType<typeof parseJobAnswer> | undefined;
      if (!job) continue;
      const chain = expectClean(() => pickChain(job, 0), ['invalid-response'], input) as
        ReturnType<typeof pickChain> | undefined;
      if (!chain) continue;
      expectClean(() => parseUploadForm(chain.upload), ['invalid-response'], input);
      expectClean(
        () => chainState(chain, 'pdf'),
        [
          'invalid-response',
          'conversion-failed',
          'conversion-unsupported',
          'upload-failed',
          'quota-exceeded',
        ],
        input,
      );
      const results = expectClean(
        () => parseExportFiles(chain.export, 'pdf'),
        ['invalid-response'],
        input,
      ) as { url: string }[] | undefined;
      for (const result of results ?? [])
        assert.match(result.url, /^(https:|http:\/\/(127\.0\.0\.1|localhost|\[::1\]))/);
    }
    for (let index = 0; index < cases; index += 1) {
      const input = values.value();
      expectClean(() => parseTaskAnswer(input), ['invalid-response'], input);
      const error = answerError({
        status: values.pick([401, 402, 403, 422, 429, 500, 503]),
        headers: new Headers(),
        text: json(input),
      });
      assert.ok(error instanceof ConvertError && error.message.length < 800);
    }
    assertPrototypeClean();
  });
});
