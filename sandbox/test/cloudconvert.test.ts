import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import {
  accessTokenFor,
  authorize,
  pkcePair,
  pollJob,
  postUploadForm,
  startCloudConvert,
  taskNamed,
  tokenRequest,
  uploadConvertExportTasks,
  type CloudConvertHarness,
  type JobJson,
  type TaskJson,
  type UploadForm,
} from './helpers/cloudconvert-client.js';

const HOUR_MS = 3600 * 1000;

/** Runs `body` with `Date` (only) moved forward by `ms`; timers keep running normally. */
async function withClockAhead<T>(ms: number, body: () => Promise<T>): Promise<T> {
  mock.timers.enable({ apis: ['Date'], now: Date.now() + ms });
  try {
    return await body();
  } finally {
    mock.timers.reset();
  }
}

describe('CloudConvert sandbox', () => {
  let harness: CloudConvertHarness;

  before(async () => {
    harness = await startCloudConvert({ processingMs: 250 });
  });
  after(async () => {
    await harness.close();
  });

  const createJob = (tasks: Record<string, unknown>, tag?: string): Promise<JobJson> =>
    harness.apiData<JobJson>('/jobs', { method: 'POST', body: { tasks, ...(tag ? { tag } : {}) } });

  const uploadFormOf = (job: JobJson): UploadForm => {
    const form = taskNamed(job, 'upload').result?.form;
    assert.ok(form, 'the upload task carries result.form');
    return form;
  };

  describe('job lifecycle', () => {
    it('runs upload → convert → export with a rising percent and a downloadable PDF', async () => {
      const job = await createJob(uploadConvertExportTasks(), 'lifecycle');
      assert.equal(job.status, 'waiting');
      assert.equal(job.tag, 'lifecycle');
      const upload = taskNamed(job, 'upload');
      assert.equal(upload.message, 'Waiting for file upload');
      assert.deepEqual(taskNamed(job, 'convert').depends_on_task_ids, [upload.id]);

      const uploaded = await postUploadForm(uploadFormOf(job), {
        name: 'notes.txt',
        data: 'Hello, sandbox!',
      });
      assert.equal(uploaded.status, 201);

      const snapshots = await pollJob(harness, job.id, 15);
      const percents = snapshots
        .map((snapshot) => taskNamed(snapshot, 'convert'))
        .filter((task) => task.status === 'processing')
        .map((task) => task.percent);
      assert.ok(
        percents.some((percent) => percent > 0 && percent < 100),
        `percent seen: ${percents.join(',')}`,
      );
      assert.deepEqual(
        percents,
        [...percents].sort((a, b) => a - b),
        'percent never goes down',
      );

      const done = snapshots.at(-1)!;
      assert.equal(done.status, 'finished');
      assert.match(String(done['ended_at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      const convert = taskNamed(done, 'convert');
      assert.equal(convert.percent, 100);
      assert.equal(typeof convert['engine'], 'string');
      const [file] = taskNamed(done, 'export').result?.files ?? [];
      assert.equal(file?.filename, 'notes.pdf');
      const download = await fetch(file.url!);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/pdf');
      assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="notes.pdf"$/);
      const bytes = Buffer.from(await download.arrayBuffer());
      assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
      assert.equal(bytes.length, file.size);
    });

    it('lists jobs and tasks with filters, and deletes them (204, then 404)', async () => {
      const job = await createJob(uploadConvertExportTasks(), 'list-me');
      const jobs = (await (await harness.api('/jobs?filter[tag]=list-me')).json()) as {
        data: JobJson[];
        meta: Record<string, unknown>;
        links: Record<string, unknown>;
      };
      assert.deepEqual(
        jobs.data.map((entry) => entry.id),
        [job.id],
      );
      assert.equal(jobs.meta['per_page'], 100);
      assert.equal(jobs.data[0]!.tasks, undefined, 'tasks only with include=tasks');
      const tasks = (await (
        await harness.api(`/tasks?filter[job_id]=${job.id}&filter[operation]=convert`)
      ).json()) as {
        data: TaskJson[];
      };
      assert.deepEqual(
        tasks.data.map((task) => task.name),
        ['convert'],
      );
      const deleted = await harness.api(`/jobs/${job.id}`, { method: 'DELETE' });
      assert.equal(deleted.status, 204);
      assert.equal(await deleted.text(), '');
      assert.equal((await harness.api(`/jobs/${job.id}`)).status, 404);
      assert.equal((await harness.api(`/tasks/${taskNamed(job, 'convert').id}`)).status, 404);
    });

    it('fails dependants with INPUT_TASK_FAILED when an import fails', async () => {
      const job = await createJob({
        fetch: { operation: 'import/url', url: 'https://example.com/far-away.txt' },
        convert: { operation: 'convert', input: 'fetch', output_format: 'pdf' },
        export: { operation: 'export/url', input: 'convert' },
      });
      const done = (await pollJob(harness, job.id)).at(-1)!;
      assert.equal(done.status, 'error');
      assert.equal(taskNamed(done, 'fetch').status, 'error');
      assert.equal(taskNamed(done, 'fetch').code, 'DOWNLOAD_FAILED');
      for (const name of ['convert', 'export']) {
        const task = taskNamed(done, name);
        assert.equal(task.status, 'error');
        assert.equal(task.code, 'INPUT_TASK_FAILED');
        assert.equal(task.message, 'Input task has failed');
        assert.equal(task['started_at'], null);
      }
    });

    it('imports by URL from its own storage host', async () => {
      const first = await createJob({
        raw: { operation: 'import/raw', file: '# Title\n\nBody', filename: 'doc.md' },
        export: { operation: 'export/url', input: 'raw' },
      });
      const url = taskNamed((await pollJob(harness, first.id)).at(-1)!, 'export').result?.files?.[0]?.url;
      assert.ok(url);
      const second = await createJob({
        fetch: { operation: 'import/url', url },
        convert: { operation: 'convert', input: 'fetch', output_format: 'pdf' },
      });
      const done = (await pollJob(harness, second.id)).at(-1)!;
      assert.equal(done.status, 'finished');
      assert.deepEqual(
        taskNamed(done, 'convert').result?.files?.map((file) => file.filename),
        ['doc.pdf'],
      );
    });

    it('fails the convert task with INVALID_CONVERSION_TYPE for an unsupported pair', async () => {
      const job = await createJob({
        raw: { operation: 'import/raw', file: 'plain text', filename: 'a.txt' },
        convert: { operation: 'convert', input: 'raw', output_format: 'png' },
        export: { operation: 'export/url', input: 'convert' },
      });
      const done = (await pollJob(harness, job.id)).at(-1)!;
      assert.equal(done.status, 'error');
      assert.equal(taskNamed(done, 'raw').status, 'finished');
      assert.equal(taskNamed(done, 'convert').code, 'INVALID_CONVERSION_TYPE');
      assert.equal(taskNamed(done, 'export').code, 'INPUT_TASK_FAILED');
    });

    it('converts images (png → jpg) with real output bytes', async () => {
      const sharp = (await import('sharp')).default;
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
        .png()
        .toBuffer();
      const job = await createJob({
        raw: { operation: 'import/base64', file: png.toString('base64'), filename: 'dot.png' },
        convert: { operation: 'convert', input: 'raw', output_format: 'jpg', filename: 'out.jpg' },
        export: { operation: 'export/url', input: 'convert' },
      });
      const done = (await pollJob(harness, job.id)).at(-1)!;
      const file = taskNamed(done, 'export').result?.files?.[0];
      assert.equal(file?.filename, 'out.jpg');
      const bytes = Buffer.from(await (await fetch(file.url!)).arrayBuffer());
      assert.equal((await sharp(bytes).metadata()).format, 'jpeg');
    });
  });

  describe('storage host', () => {
    const freshUpload = async (): Promise<{ job: JobJson; form: UploadForm }> => {
      const job = await createJob(uploadConvertExportTasks());
      return { job, form: uploadFormOf(job) };
    };
    const uploadStatus = async (job: JobJson): Promise<string> =>
      (await harness.apiData<TaskJson>(`/tasks/${taskNamed(job, 'upload').id}`)).status;

    it('stores a form upload (fields first, file last) and finishes the import task with its md5', async () => {
      const { job, form } = await freshUpload();
      assert.equal(form.parameters['success_action_status'], '201');
      assert.equal(form.parameters['key'], `${taskNamed(job, 'upload').id}/\${filename}`);
      const response = await postUploadForm(form, { name: 'input.txt', data: 'abc' });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('content-type'), 'application/xml');
      const md5 = createHash('md5').update('abc').digest('hex');
      assert.equal(response.headers.get('etag'), `"${md5}"`);
      const xml = await response.text();
      assert.match(xml, new RegExp(`<Key>${taskNamed(job, 'upload').id}/input.txt</Key>`));
      assert.match(xml, new RegExp(`<ETag>&#34;${md5}&#34;</ETag>`));
      const task = await harness.apiData<TaskJson>(`/tasks/${taskNamed(job, 'upload').id}`);
      assert.equal(task.status, 'finished');
      assert.deepEqual(task.result?.files, [{ filename: 'input.txt', size: 3, md5 }]);
    });

    it('refuses a form with the file before the fields (403) and keeps the task waiting', async () => {
      const { job, form } = await freshUpload();
      const response = await postUploadForm(form, { name: 'input.txt', data: 'abc' }, { fileFirst: true });
      assert.equal(response.status, 403);
      assert.match(await response.text(), /<Code>AccessDenied<\/Code>/);
      assert.equal(await uploadStatus(job), 'waiting');
    });

    it('refuses tampered forms: changed policy, changed field, extra field (403)', async () => {
      const { job, form } = await freshUpload();
      const policy = JSON.parse(Buffer.from(form.parameters['Policy']!, 'base64').toString()) as {
        expiration: string;
      };
      const forged = Buffer.from(JSON.stringify({ ...policy, expiration: '2099-01-01T00:00:00Z' })).toString(
        'base64',
      );
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ ...form.parameters, Policy: forged }, /SignatureDoesNotMatch/],
        [{ ...form.parameters, acl: 'public-read' }, /Policy Condition failed/],
        [{ ...form.parameters, key: 'another-task/${filename}' }, /Policy Condition failed/],
        [{ ...form.parameters, 'x-extra': '1' }, /Extra input fields: x-extra/],
      ];
      for (const [parameters, message] of cases) {
        const response = await postUploadForm(form, { name: 'input.txt', data: 'abc' }, { parameters });
        assert.equal(response.status, 403);
        assert.match(await response.text(), message);
      }
      assert.equal(await uploadStatus(job), 'waiting');
    });

    it('refuses an expired form (403 Policy expired)', async () => {
      const { job, form } = await freshUpload();
      const response = await withClockAhead(7 * HOUR_MS, () =>
        postUploadForm(form, { name: 'input.txt', data: 'abc' }),
      );
      assert.equal(response.status, 403);
      assert.match(await response.text(), /Policy expired/);
      assert.equal(await uploadStatus(job), 'waiting');
    });

    it('refuses an upload carrying an Authorization header', async () => {
      const { job, form } = await freshUpload();
      const response = await postUploadForm(
        form,
        { name: 'input.txt', data: 'abc' },
        { headers: { Authorization: `Bearer ${harness.cc.apiKey}` } },
      );
      assert.equal(response.status, 400);
      assert.match(await response.text(), /Unsupported Authorization Type/);
      assert.equal(await uploadStatus(job), 'waiting');
    });

    it('refuses a second upload to the same form', async () => {
      const { form } = await freshUpload();
      assert.equal((await postUploadForm(form, { name: 'a.txt', data: 'one' })).status, 201);
      assert.equal((await postUploadForm(form, { name: 'a.txt', data: 'two' })).status, 403);
    });

    it('serves export URLs only with a valid, unexpired signature', async () => {
      const job = await createJob({
        raw: { operation: 'import/raw', file: 'x', filename: 'x.txt' },
        export: { operation: 'export/url', input: 'raw' },
      });
      const url = taskNamed((await pollJob(harness, job.id)).at(-1)!, 'export').result?.files?.[0]?.url;
      assert.ok(url);
      assert.equal((await fetch(url)).status, 200);
      const tampered = url.replace('filename%3D%22x.txt', 'filename%3D%22y.txt');
      const refused = await fetch(tampered);
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /SignatureDoesNotMatch/);
      const unsigned = await fetch(url.split('?')[0]!);
      assert.equal(unsigned.status, 403);
      const expired = await withClockAhead(25 * HOUR_MS, () => fetch(url));
      assert.equal(expired.status, 403);
      assert.match(await expired.text(), /Request has expired/);
    });
  });

  describe('errors', () => {
    it('answers 401 UNAUTHENTICATED without or with a bad token', async () => {
      for (const token of [null, 'not-a-jwt', `${harness.cc.apiKey.slice(0, -4)}AAAA`]) {
        const response = await harness.api('/jobs', { token });
        assert.equal(response.status, 401);
        assert.deepEqual(await response.json(), { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' });
      }
    });

    it('answers 403 when the token lacks the scope', async () => {
      const tokens = await accessTokenFor(harness.cc, 'task.read');
      const token = String(tokens['access_token']);
      assert.equal((await harness.api('/jobs', { token })).status, 200);
      const refused = await harness.api('/jobs', {
        method: 'POST',
        token,
        body: { tasks: uploadConvertExportTasks() },
      });
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as { code: string }).code, 'FORBIDDEN');
      assert.equal((await harness.api('/users/me', { token })).status, 403);
    });

    it('answers 422 INVALID_DATA with field errors', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, 'tasks'],
        [{ tasks: { a: { operation: 'nope' } } }, 'tasks.a.operation'],
        [{ tasks: { a: { operation: 'convert', input: 'missing', output_format: 'pdf' } } }, 'tasks.a.input'],
        [
          { tasks: { a: { operation: 'import/upload' }, b: { operation: 'convert', input: 'a' } } },
          'tasks.b.output_format',
        ],
        [{ tasks: { 'bad name!': { operation: 'import/upload' } } }, 'tasks.bad name!'],
      ];
      for (const [body, field] of cases) {
        const response = await harness.api('/jobs', { method: 'POST', body });
        assert.equal(response.status, 422, JSON.stringify(body));
        const error = (await response.json()) as {
          code: string;
          message: string;
          errors: Record<string, string[]>;
        };
        assert.equal(error.code, 'INVALID_DATA');
        assert.equal(error.message, 'The given data was invalid.');
        assert.ok(Array.isArray(error.errors[field]), `errors.${field} in ${JSON.stringify(error.errors)}`);
      }
    });

    it('answers 402 CREDITS_EXCEEDED once the credits are used up', async () => {
      const control = (body: unknown) => harness.api('/../__sandbox/account', { method: 'PATCH', body });
      assert.equal((await control({ credits: 0 })).status, 200);
      try {
        const response = await harness.api('/jobs', {
          method: 'POST',
          body: { tasks: uploadConvertExportTasks() },
        });
        assert.equal(response.status, 402);
        assert.deepEqual(await response.json(), {
          message: 'Your account has run out of conversion minutes',
          code: 'CREDITS_EXCEEDED',
        });
        assert.equal((await harness.apiData<{ credits: number }>('/users/me')).credits, 0);
      } finally {
        assert.equal((await control({ credits: 1000 })).status, 200);
      }
    });

    it('spends one credit per convert task', async () => {
      // A sandbox of its own: the other tests' jobs spend credits in the background.
      const own = await startCloudConvert();
      after(() => own.close());
      const before = (await own.apiData<{ credits: number }>('/users/me')).credits;
      const job = await own.apiData<JobJson>('/jobs', {
        method: 'POST',
        body: {
          tasks: {
            raw: { operation: 'import/raw', file: 'x', filename: 'x.txt' },
            convert: { operation: 'convert', input: 'raw', output_format: 'pdf' },
          },
        },
      });
      const done = (await pollJob(own, job.id)).at(-1)!;
      assert.equal(taskNamed(done, 'convert')['credits'], 1);
      assert.equal(taskNamed(done, 'raw')['credits'], 0);
      assert.equal((await own.apiData<{ credits: number }>('/users/me')).credits, before - 1);
    });

    it('answers 429 with Retry-After and rate-limit headers past the limit', async () => {
      const control = (body: unknown) => harness.api('/../__sandbox/account', { method: 'PATCH', body });
      await control({ rate_limit_per_minute: 2 });
      try {
        const first = await harness.api('/jobs');
        assert.equal(first.headers.get('x-ratelimit-limit'), '2');
        assert.equal(first.headers.get('x-ratelimit-remaining'), '1');
        assert.equal((await harness.api('/jobs')).headers.get('x-ratelimit-remaining'), '0');
        const limited = await harness.api('/jobs');
        assert.equal(limited.status, 429);
        assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
        const retryAfter = Number(limited.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
        assert.equal(((await limited.json()) as { code: string }).code, 'TOO_MANY_REQUESTS');
      } finally {
        await control({ rate_limit_per_minute: 500 });
      }
    });
  });

  describe('sync host', () => {
    it('blocks GET /jobs/{id} until the job ends', async () => {
      const job = await createJob(uploadConvertExportTasks());
      let settled = false;
      const waiting = harness.sync(`/jobs/${job.id}`).then((response) => {
        settled = true;
        return response;
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(settled, false, 'the sync request waits while the upload is pending');
      await postUploadForm(uploadFormOf(job), { name: 'late.txt', data: 'late' });
      const response = await waiting;
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      const done = ((await response.json()) as { data: JobJson }).data;
      assert.equal(done.status, 'finished');
      assert.equal(taskNamed(done, 'export').status, 'finished');
    });

    it('blocks GET /tasks/{id} and answers at once for an ended task', async () => {
      const task = await harness.apiData<TaskJson>('/import/raw', {
        method: 'POST',
        body: { file: 'x', filename: 'x.txt' },
      });
      assert.equal(task['job_id'], null);
      const response = await harness.sync(`/tasks/${task.id}`);
      const done = ((await response.json()) as { data: TaskJson }).data;
      assert.equal(done.status, 'finished');
      assert.equal((await harness.sync(`/tasks/${task.id}`)).status, 200);
      assert.equal((await harness.sync(`/tasks/${task.id}`, { token: null })).status, 401);
    });
  });

  describe('OAuth 2.0', () => {
    const redirectUri = 'https://app.example/callback';

    it('runs the code flow with PKCE, echoes state, and the token works on the api host', async () => {
      const { verifier, challenge } = pkcePair();
      const location = await authorize(harness.cc, {
        response_type: 'code',
        client_id: harness.cc.clientId,
        redirect_uri: redirectUri,
        scope: 'user.read task.read task.write',
        state: 'state-123',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      assert.equal(`${location.origin}${location.pathname}`, redirectUri);
      assert.equal(location.searchParams.get('state'), 'state-123');
      const code = location.searchParams.get('code');
      assert.ok(code);
      const exchange = {
        grant_type: 'authorization_code',
        client_id: harness.cc.clientId,
        client_secret: harness.cc.clientSecret,
        redirect_uri: redirectUri,
        code,
      };
      const wrong = await tokenRequest(harness.cc, { ...exchange, code_verifier: pkcePair().verifier });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body['error'], 'invalid_grant');

      const granted = await tokenRequest(harness.cc, { ...exchange, code_verifier: verifier });
      assert.equal(granted.status, 200, JSON.stringify(granted.body));
      assert.equal(granted.body['token_type'], 'Bearer');
      assert.equal(granted.body['expires_in'], 3600);
      const accessToken = String(granted.body['access_token']);
      const me = await harness.api('/users/me', { token: accessToken });
      assert.equal(me.status, 200);
      const entry = harness.sandbox.requests().findLast((log) => log.service === 'cloudconvert-api');
      assert.deepEqual(entry?.credential, { kind: 'access-token', where: 'header' });

      const reused = await tokenRequest(harness.cc, { ...exchange, code_verifier: verifier });
      assert.equal(reused.status, 400);
      assert.equal(reused.body['error'], 'invalid_grant');
      assert.equal(
        (await harness.api('/users/me', { token: accessToken })).status,
        401,
        'replay revokes the tokens',
      );
    });

    it('rotates refresh tokens and retires the old pair', async () => {
      const first = await accessTokenFor(harness.cc, 'user.read');
      const refresh = (refreshToken: string) =>
        tokenRequest(harness.cc, {
          grant_type: 'refresh_token',
          client_id: harness.cc.clientId,
          client_secret: harness.cc.clientSecret,
          refresh_token: refreshToken,
        });
      const second = await refresh(String(first['refresh_token']));
      assert.equal(second.status, 200);
      assert.notEqual(second.body['refresh_token'], first['refresh_token']);
      assert.notEqual(second.body['access_token'], first['access_token']);
      assert.equal(
        (await harness.api('/users/me', { token: String(second.body['access_token']) })).status,
        200,
      );
      assert.equal((await harness.api('/users/me', { token: String(first['access_token']) })).status, 401);
      const replay = await refresh(String(first['refresh_token']));
      assert.equal(replay.status, 400);
      assert.equal(replay.body['error'], 'invalid_grant');
    });

    it('refuses a wrong client secret and a mismatched redirect_uri', async () => {
      const bad = await tokenRequest(harness.cc, {
        grant_type: 'refresh_token',
        client_id: harness.cc.clientId,
        client_secret: 'wrong',
        refresh_token: 'x',
      });
      assert.equal(bad.status, 401);
      assert.equal(bad.body['error'], 'invalid_client');
      const location = await authorize(harness.cc, {
        response_type: 'code',
        client_id: harness.cc.clientId,
        redirect_uri: redirectUri,
        scope: 'user.read',
      });
      const mismatch = await tokenRequest(harness.cc, {
        grant_type: 'authorization_code',
        client_id: harness.cc.clientId,
        client_secret: harness.cc.clientSecret,
        redirect_uri: 'https://evil.example/callback',
        code: location.searchParams.get('code') ?? '',
      });
      assert.equal(mismatch.status, 400);
      assert.equal(mismatch.body['error'], 'invalid_grant');
    });

    it('redirects with access_denied and the state when the user denies', async () => {
      const location = await authorize(
        harness.cc,
        {
          response_type: 'code',
          client_id: harness.cc.clientId,
          redirect_uri: redirectUri,
          scope: 'user.read',
          state: 's1',
        },
        'deny',
      );
      assert.equal(location.searchParams.get('error'), 'access_denied');
      assert.equal(location.searchParams.get('state'), 's1');
      assert.equal(location.searchParams.get('code'), null);
    });

    it('redirects with invalid_scope for an unknown scope, and shows an error page for an unknown client', async () => {
      const scoped = await fetch(
        `${harness.cc.oauth}/authorize?${new URLSearchParams({ response_type: 'code', client_id: harness.cc.clientId, redirect_uri: redirectUri, scope: 'everything', state: 's2' }).toString()}`,
        { redirect: 'manual' },
      );
      assert.equal(scoped.status, 302);
      const location = new URL(scoped.headers.get('location') ?? '');
      assert.equal(location.searchParams.get('error'), 'invalid_scope');
      assert.equal(location.searchParams.get('state'), 's2');
      const unknown = await fetch(
        `${harness.cc.oauth}/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent(redirectUri)}`,
        { redirect: 'manual' },
      );
      assert.equal(unknown.status, 400);
      assert.equal(unknown.headers.get('location'), null);
    });

    it('refuses an expired access token with 401', async () => {
      const tokens = await accessTokenFor(harness.cc, 'user.read');
      const token = String(tokens['access_token']);
      assert.equal((await harness.api('/users/me', { token })).status, 200);
      const expired = await withClockAhead(2 * HOUR_MS, () => harness.api('/users/me', { token }));
      assert.equal(expired.status, 401);
      assert.equal((await harness.api('/users/me')).status, 200, 'the API key outlives it');
    });
  });

  describe('formats', () => {
    it('lists the conversion matrix without auth, with filters', async () => {
      const response = await harness.api('/convert/formats?filter[input_format]=txt', { token: null });
      assert.equal(response.status, 200);
      const { data } = (await response.json()) as { data: Array<Record<string, unknown>> };
      assert.deepEqual(
        data.map((row) => `${String(row['input_format'])}>${String(row['output_format'])}`),
        ['txt>pdf'],
      );
      assert.deepEqual(data[0]!['meta'], { group: 'document' });
      const images = (await (
        await harness.api('/convert/formats?filter[output_format]=webp', { token: null })
      ).json()) as {
        data: Array<Record<string, unknown>>;
      };
      assert.ok(images.data.length >= 2);
      assert.ok(
        images.data.every((row) => row['output_format'] === 'webp' && row['engine'] === 'imagemagick'),
      );
    });
  });
});
