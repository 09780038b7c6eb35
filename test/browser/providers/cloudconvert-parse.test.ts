import { expect } from '@open-wc/testing';
import { ConvertError } from '../../../src/engine/errors.js';
import {
  answerError,
  chainState,
  parseExportFiles,
  parseJob,
  parseJobAnswer,
  parseTask,
  parseTaskAnswer,
  parseUploadForm,
  pickChain,
  taskError,
  type TaskSnapshot,
} from '../../../src/providers/cloudconvert-parse.js';

/** A task as CloudConvert sends it (recorded shape, docs/cloudconvert.md §12), with overrides. */
function task(
  name: string,
  operation: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: `id-${name}`,
    name,
    job_id: 'job-1',
    status: 'waiting',
    credits: null,
    code: null,
    message: null,
    percent: 100,
    operation,
    result: null,
    created_at: '2020-12-17T05:33:53+00:00',
    depends_on_task_ids: [],
    ...fields,
  };
}

const form = {
  url: 'https://storage.cloudconvert.com/tasks-sandbox',
  parameters: {
    acl: 'private',
    key: 'id-import-0/${filename}',
    success_action_status: '201',
    Policy: 'eyJleHBpcmF0aW9uIjoi',
    'X-Amz-Signature': '1f29',
  },
};

function chainJob(
  convert: Record<string, unknown> = {},
  exported: Record<string, unknown> = {},
  upload = {},
) {
  return {
    id: 'job-1',
    tag: 'convert-uploader',
    status: 'processing',
    tasks: [
      task('import-0', 'import/upload', { result: { form }, ...upload }),
      task('convert-0', 'convert', convert),
      task('export-0', 'export/url', exported),
    ],
  };
}

function rejects(action: () => unknown): ConvertError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(ConvertError);
    return error as ConvertError;
  }
  throw new Error('expected a ConvertError');
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: new Headers(headers),
    text: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('CloudConvert answer parsing', () => {
  it('reads a job from the api envelope and from the server kit envelope alike', () => {
    const fromApi = parseJobAnswer({ data: chainJob() });
    const fromKit = parseJobAnswer({ provider: 'cloudconvert', job: chainJob() });
    expect(fromApi).to.deep.equal(fromKit);
    expect(fromApi.id).to.equal('job-1');
    expect(fromApi.tasks.map((entry) => entry.name)).to.deep.equal(['import-0', 'convert-0', 'export-0']);
  });

  it('picks a file chain by its place in the batch, and refuses missing, doubled or mistyped chains', () => {
    const job = parseJob(chainJob());
    expect(pickChain(job, 0).upload.id).to.equal('id-import-0');
    expect(rejects(() => pickChain(job, 1)).code).to.equal('invalid-response');
    const doubled = chainJob();
    doubled.tasks.push(task('convert-0', 'convert'));
    expect(rejects(() => pickChain(parseJob(doubled), 0)).code).to.equal('invalid-response');
    const mistyped = chainJob();
    mistyped.tasks[2] = task('export-0', 'export/s3');
    expect(rejects(() => pickChain(parseJob(mistyped), 0)).code).to.equal('invalid-response');
    const base64 = chainJob();
    base64.tasks[0] = task('import-0', 'import/base64');
    expect(rejects(() => pickChain(parseJob(base64), 0)).code).to.equal('invalid-response');
  });

  it('takes an import/url chain (a file converted again) and the export of the original when present', () => {
    expect(pickChain(parseJob(chainJob()), 0).original).to.equal(undefined);
    const again = chainJob();
    again.tasks[0] = task('import-0', 'import/url');
    again.tasks.push(task('original-0', 'export/url'));
    const chain = pickChain(parseJob(again), 0);
    expect([chain.upload.operation, chain.original?.id]).to.deep.equal(['import/url', 'id-original-0']);
  });

  it('reads the upload form: fields in order, the URL checked, a `file` field left out', () => {
    const parsed = parseUploadForm(parseTask(task('import-0', 'import/upload', { result: { form } })));
    expect(parsed.url.href).to.equal('https://storage.cloudconvert.com/tasks-sandbox');
    expect(parsed.fields.map(([name]) => name)).to.deep.equal([
      'acl',
      'key',
      'success_action_status',
      'Policy',
      'X-Amz-Signature',
    ]);
    const withFile = { url: form.url, parameters: { key: 'k', file: 'x', expires: 1608269640 } };
    const fields = parseUploadForm(
      parseTask(task('i', 'import/upload', { result: { form: withFile } })),
    ).fields;
    expect(fields).to.deep.equal([
      ['key', 'k'],
      ['expires', '1608269640'],
    ]);
    for (const bad of [
      { url: 'http://storage.example.com/tasks', parameters: {} },
      { url: 'javascript:alert(1)', parameters: {} },
      { url: form.url, parameters: { key: { nested: true } } },
      { url: form.url, parameters: 'acl=private' },
      { url: form.url },
    ]) {
      const error = rejects(() =>
        parseUploadForm(parseTask(task('i', 'import/upload', { result: { form: bad } }))),
      );
      expect(error.code).to.equal('invalid-response');
    }
  });

  it('keeps `__proto__` keys as plain data', () => {
    const hostile = JSON.parse(
      `{"url":"${form.url}","parameters":{"__proto__":{"polluted":"yes"},"key":"k"}}`,
    ) as unknown;
    const error = rejects(() =>
      parseUploadForm(parseTask(task('i', 'import/upload', { result: { form: hostile } }))),
    );
    expect(error.code).to.equal('invalid-response');
    const named = JSON.parse(`{"url":"${form.url}","parameters":{"__proto__":"x","key":"k"}}`) as unknown;
    const fields = parseUploadForm(parseTask(task('i', 'import/upload', { result: { form: named } }))).fields;
    expect(fields).to.deep.equal([
      ['__proto__', 'x'],
      ['key', 'k'],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    const status = JSON.parse(`{"id":"t","operation":"convert","status":"__proto__"}`) as unknown;
    expect(rejects(() => parseTask(status)).code).to.equal('invalid-response');
  });

  it('refuses tasks and jobs of the wrong types or sizes', () => {
    for (const bad of [
      null,
      [],
      'task',
      { id: 't', operation: 'convert' },
      { id: 5, operation: 'convert', status: 'waiting' },
      { id: 't', operation: 'convert', status: 'exploded' },
      { id: 'x'.repeat(201), operation: 'convert', status: 'waiting' },
    ]) {
      expect(rejects(() => parseTask(bad)).code).to.equal('invalid-response');
    }
    for (const bad of [
      undefined,
      { data: null },
      { data: { id: 'j' } },
      { data: { id: 'j', tasks: {} } },
      { data: { id: 'j', tasks: new Array(5001).fill(task('t', 'convert')) } },
      { job: { id: 7, tasks: [] } },
    ]) {
      expect(rejects(() => parseJobAnswer(bad)).code).to.equal('invalid-response');
    }
    expect(rejects(() => parseTaskAnswer({ task: task('t', 'convert') })).code).to.equal('invalid-response');
  });

  it('tolerates optional fields of odd types, bounds them, and reads `queued` as waiting', () => {
    const parsed = parseTask({
      id: 't',
      operation: 'convert',
      status: 'queued',
      percent: 1e308,
      code: 42,
      message: 'm'.repeat(10_000),
    });
    expect(parsed).to.include({ status: 'waiting', percent: 100, code: null, name: '' });
    expect(parsed.message).to.have.length(300);
    expect(
      parseTask({ id: 't', operation: 'convert', status: 'processing', percent: '50' }).percent,
    ).to.equal(null);
    expect(parseTask({ id: 't', operation: 'convert', status: 'processing', percent: -3 }).percent).to.equal(
      0,
    );
  });

  it('reads result files: https or loopback links only, sizes only when sane', () => {
    const exported = (files: unknown): TaskSnapshot =>
      parseTask(task('export-0', 'export/url', { status: 'finished', result: { files } }));
    const now = Date.parse('2026-11-22T10:00:00Z');
    const [result] = parseExportFiles(
      exported([
        { filename: 'a.pdf', size: 1234, url: 'https://storage.cloudconvert.com/tasks/a.pdf?sig=1' },
      ]),
      'PDF',
      now,
    );
    expect(result).to.deep.equal({
      name: 'a.pdf',
      url: 'https://storage.cloudconvert.com/tasks/a.pdf?sig=1',
      size: 1234,
      format: 'pdf',
      expiresAt: '2026-11-23T10:00:00.000Z',
    });
    expect(
      parseExportFiles(exported([{ filename: 'a.pdf', size: -1, url: 'http://127.0.0.1:1/a.pdf' }]), 'pdf')[0]
        ?.size,
    ).to.equal(undefined);
    for (const files of [
      [],
      null,
      [{ filename: 'a.pdf', url: 'http://example.com/a.pdf' }],
      [{ filename: 'a.pdf', url: 'https://user:pw@example.com/a.pdf' }],
      [{ url: 'https://example.com/a.pdf' }],
      ['https://example.com/a.pdf'],
      new Array(101).fill({ filename: 'a.pdf', url: 'https://example.com/a.pdf' }),
    ]) {
      expect(rejects(() => parseExportFiles(exported(files), 'pdf')).code).to.equal('invalid-response');
    }
  });

  it('follows a chain: progress from the convert task while it runs, then results', () => {
    const state = (convert: Record<string, unknown>, exported: Record<string, unknown> = {}, upload = {}) =>
      chainState(pickChain(parseJob(chainJob(convert, exported, upload)), 0), 'pdf');
    // A waiting convert task's percent (100 in recordings) means nothing yet.
    expect(state({ status: 'waiting', percent: 100 })).to.deep.equal({ uploaded: false, progress: null });
    expect(state({ status: 'processing', percent: 40 }, {}, { status: 'finished' })).to.deep.equal({
      uploaded: true,
      progress: 0.4,
    });
    expect(state({ status: 'finished' }, { status: 'processing' })).to.deep.include({ progress: 1 });
    const done = state(
      { status: 'finished' },
      { status: 'finished', result: { files: [{ filename: 'a.pdf', url: 'https://example.com/a.pdf' }] } },
    );
    expect(done).to.have.property('results').with.length(1);
  });

  it('reports the first own failure of a chain, not the INPUT_TASK_FAILED echoes', () => {
    const failed = (upload: Record<string, unknown>, convert: Record<string, unknown>) => {
      const state = chainState(pickChain(parseJob(chainJob(convert, echo, upload)), 0), 'pdf');
      if (!('error' in state)) throw new Error('expected a failure');
      return state.error;
    };
    const echo = { status: 'error', code: 'INPUT_TASK_FAILED', message: 'Input task has failed' };
    expect(
      failed({ status: 'error', code: 'SANDBOX_FILE_NOT_ALLOWED', message: 'not whitelisted' }, echo),
    ).to.include({
      code: 'upload-failed',
      providerCode: 'SANDBOX_FILE_NOT_ALLOWED',
    });
    expect(failed({ status: 'finished' }, { status: 'error', code: 'INVALID_CONVERSION_TYPE' })).to.include({
      code: 'conversion-unsupported',
      retryable: false,
    });
    expect(failed({ status: 'finished' }, { status: 'error', code: 'CREDITS_EXCEEDED' })).to.include({
      code: 'quota-exceeded',
      retryable: false,
    });
    expect(failed({ status: 'finished' }, { status: 'error', code: 'OPEN_FAILED' })).to.include({
      code: 'conversion-failed',
      retryable: true,
    });
    // Only echoes (the root failure outside the chain): still a failure of this file.
    expect(failed({ status: 'finished' }, echo)).to.include({ code: 'conversion-failed' });
    expect(
      taskError(parseTask({ id: 't', operation: 'convert', status: 'error' }), 'convert').message,
    ).to.contain('no reason');
  });

  it('maps error answers to stable codes', () => {
    const mapped = (status: number, body: unknown, headers?: Record<string, string>) =>
      answerError(answer(status, body, headers));
    expect(mapped(401, { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' })).to.include({
      code: 'unauthorized',
      providerCode: 'UNAUTHENTICATED',
      retryable: false,
    });
    expect(mapped(403, { message: 'Invalid scope(s) provided.' }).code).to.equal('unauthorized');
    expect(
      mapped(402, { message: 'Your account has run out of conversion minutes', code: 'CREDITS_EXCEEDED' }),
    ).to.include({ code: 'quota-exceeded', retryable: false });
    const limited = mapped(429, { message: 'Too Many Attempts.' }, { 'Retry-After': '60' });
    expect(limited).to.include({
      code: 'rate-limited',
      retryAfterMs: 60_000,
      transient: true,
      retryable: true,
    });
    expect(
      mapped(422, {
        message: 'The given data was invalid.',
        errors: { 'tasks.c.output_format': ['invalid'] },
      }),
    ).to.include({ code: 'conversion-unsupported', retryable: false });
    expect(mapped(422, { code: 'INVALID_CONVERSION_TYPE', message: 'x' }).code).to.equal(
      'conversion-unsupported',
    );
    expect(mapped(422, { message: 'The tasks field is required.' })).to.include({
      code: 'conversion-failed',
      retryable: false,
    });
    expect(mapped(503, '<html>Service Unavailable</html>')).to.include({
      code: 'conversion-failed',
      transient: true,
    });
    expect(mapped(500, { message: 42, code: ['x'] })).to.include({
      code: 'conversion-failed',
      providerCode: undefined,
    });
  });
});
