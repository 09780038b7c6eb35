import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  accessTokenFor,
  startCloudConvert,
  type CloudConvertHarness,
} from './helpers/cloudconvert-client.js';
import { CloudConvert, routeSdkToSandbox } from './helpers/cloudconvert-sdk.js';
import { WORD_TEXT, pageCount, pdfText, pdfWithPages, wordDocument } from './helpers/documents.js';

/** The bytes behind an export URL. */
async function download(url: string | undefined): Promise<Buffer> {
  const response = await fetch(url ?? '');
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

/** The HTTP status behind an SDK error (Node SDK 3.x throws `Error(statusText, { cause: Response })`). */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    assert.ok(cause instanceof Response, `expected an HTTP error, got ${String(error)}`);
    return cause.status;
  }
  assert.fail('the SDK call was expected to fail');
}

describe('official cloudconvert SDK against the sandbox', () => {
  let harness: CloudConvertHarness;
  let restoreFetch: () => void;
  let client: InstanceType<typeof CloudConvert>;

  before(async () => {
    harness = await startCloudConvert({ processingMs: 100 });
    restoreFetch = routeSdkToSandbox(harness.cc);
    client = new CloudConvert(harness.cc.apiKey);
  });
  after(async () => {
    restoreFetch();
    await harness.close();
  });

  it('creates a job, uploads, waits, and downloads the exported PDF', async () => {
    const job = await client.jobs.create({
      tag: 'sdk',
      tasks: {
        'upload-my-file': { operation: 'import/upload' },
        'convert-my-file': { operation: 'convert', input: 'upload-my-file', output_format: 'pdf' },
        'export-my-file': { operation: 'export/url', input: 'convert-my-file' },
      },
    });
    assert.equal(job.status, 'waiting');
    const uploadTask = job.tasks.find((task) => task.name === 'upload-my-file');
    assert.ok(uploadTask);
    const uploaded: unknown = await client.tasks.upload(
      uploadTask,
      Buffer.from('Hello from the official SDK'),
      'hello.txt',
    );
    assert.equal(uploaded, undefined, 'the S3 XML answer is not JSON, so the SDK returns undefined');

    const done = await client.jobs.wait(job.id);
    assert.equal(done.status, 'finished');
    const [file] = client.jobs.getExportUrls(done);
    assert.equal(file?.filename, 'hello.pdf');
    const download = await fetch(file.url!);
    assert.equal(download.status, 200);
    assert.equal(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
  });

  it('uploads a Word file, converts it docx → pdf and exports it', async () => {
    const job = await client.jobs.create({
      tasks: {
        'upload-docx': { operation: 'import/upload' },
        'to-pdf': { operation: 'convert', input: 'upload-docx', input_format: 'docx', output_format: 'pdf' },
        'export-pdf': { operation: 'export/url', input: 'to-pdf' },
      },
    });
    const upload = job.tasks.find((task) => task.name === 'upload-docx');
    assert.ok(upload);
    await client.tasks.upload(upload, await wordDocument(), 'report.docx');
    const done = await client.jobs.wait(job.id);
    assert.equal(done.status, 'finished');
    const [file] = client.jobs.getExportUrls(done);
    assert.equal(file?.filename, 'report.pdf');
    const text = await pdfText(await download(file.url));
    for (const part of [WORD_TEXT.title, WORD_TEXT.bullet, WORD_TEXT.secondPage])
      assert.ok(text.includes(part), part);
  });

  it('merges two uploaded PDFs with a merge task', async () => {
    const job = await client.jobs.create({
      tasks: {
        'upload-1': { operation: 'import/upload' },
        'upload-2': { operation: 'import/upload' },
        merge: { operation: 'merge', input: ['upload-1', 'upload-2'], output_format: 'pdf' },
        export: { operation: 'export/url', input: 'merge' },
      },
    });
    const [first, second] = ['upload-1', 'upload-2'].map((name) =>
      job.tasks.find((task) => task.name === name),
    );
    assert.ok(first && second);
    await client.tasks.upload(first, await pdfWithPages(['one', 'two']), 'first.pdf');
    await client.tasks.upload(second, await pdfWithPages(['three']), 'second.pdf');
    const done = await client.jobs.wait(job.id);
    assert.equal(done.status, 'finished');
    const [file] = client.jobs.getExportUrls(done);
    assert.equal(file?.filename, 'first.pdf');
    assert.equal(await pageCount(await download(file.url)), 3);
  });

  it('creates a standalone upload task, streams a file to it, and waits on the sync host', async () => {
    const task = await client.tasks.create('import/upload');
    assert.equal(task.job_id, null);
    assert.equal(task.status, 'waiting');
    const data = Buffer.from('# Streamed\n\nmarkdown');
    await client.tasks.upload(task, Readable.from([data]), 'streamed.md', data.length);
    const finished = await client.tasks.wait(task.id);
    assert.equal(finished.status, 'finished');
    assert.equal(
      (finished.result as { files: Array<{ filename: string }> }).files[0]?.filename,
      'streamed.md',
    );
    const convert = await client.tasks.create('convert', { input: task.id, output_format: 'pdf' });
    // The SDK's Task type omits depends_on_task_ids, which the API sends (docs/cloudconvert.md §12).
    assert.deepEqual((convert as unknown as { depends_on_task_ids: string[] }).depends_on_task_ids, [
      task.id,
    ]);
    assert.equal((await client.tasks.wait(convert.id)).status, 'finished');
  });

  it('works in sandbox mode (api.sandbox / sync.api.sandbox hosts) too', async () => {
    const sandboxClient = new CloudConvert(harness.cc.apiKey, true);
    const job = await sandboxClient.jobs.create({
      tasks: { raw: { operation: 'import/raw', file: 'x', filename: 'x.txt' } },
    });
    assert.equal((await sandboxClient.jobs.wait(job.id)).status, 'finished');
  });

  it('gets, lists and deletes jobs and tasks', async () => {
    const job = await client.jobs.create({
      tag: 'sdk-list',
      tasks: {
        raw: { operation: 'import/raw', file: 'x', filename: 'x.txt' },
        export: { operation: 'export/url', input: 'raw' },
      },
    });
    const shown = await client.jobs.get(job.id, { include: 'tasks' });
    assert.equal(shown.id, job.id);
    assert.equal(shown.tasks.length, 2);
    const listed = await client.jobs.all({ 'filter[tag]': 'sdk-list' });
    assert.deepEqual(
      listed.map((entry) => entry.id),
      [job.id],
    );
    const tasks = await client.tasks.all({ 'filter[job_id]': job.id });
    assert.equal(tasks.length, 2);
    await client.tasks.delete(tasks[0]!.id);
    await client.jobs.delete(job.id);
    assert.equal(await statusOf(client.jobs.get(job.id)), 404);
  });

  it('cancels a waiting task', async () => {
    const task = await client.tasks.create('import/upload');
    const cancelled = await client.tasks.cancel(task.id);
    assert.equal(cancelled.status, 'error');
    await assert.rejects(
      client.tasks.upload(cancelled, Buffer.from('x'), 'x.txt'),
      /not ready for uploading/,
    );
  });

  it('reads the user', async () => {
    // The API key is a JWT whose `sub` is the id of the user it belongs to.
    const [, payload] = harness.cc.apiKey.split('.');
    const keyUser = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { sub?: string };
    const setCredits = async (credits: number) => {
      const response = await harness.api('/../__sandbox/account', { method: 'PATCH', body: { credits } });
      assert.equal(response.status, 200);
    };
    await setCredits(321);
    const me = await client.users.me();
    assert.equal(me.id, Number(keyUser.sub));
    assert.equal(me.username, 'sandbox-user');
    assert.equal(me.email, 'sandbox@example.com');
    assert.equal(me.credits, 321);
    // A second read follows the account.
    await setCredits(320);
    assert.equal((await client.users.me()).credits, 320);
  });

  it('surfaces 401 for a bad key, 403 for a key without task.write, 422 for invalid data', async () => {
    assert.equal(await statusOf(new CloudConvert('not-a-key').jobs.all()), 401);
    assert.equal(await statusOf(new CloudConvert('not-a-key').users.me()), 401);
    const readOnly = new CloudConvert(
      String((await accessTokenFor(harness.cc, 'task.read'))['access_token']),
    );
    assert.ok(Array.isArray(await readOnly.jobs.all()));
    assert.equal(
      await statusOf(readOnly.jobs.create({ tasks: { up: { operation: 'import/upload' } } })),
      403,
    );
    assert.equal(await statusOf(client.jobs.create({ tasks: {} })), 422);
    assert.equal(await statusOf(client.tasks.get('00000000-0000-4000-8000-000000000000')), 404);
  });
});
