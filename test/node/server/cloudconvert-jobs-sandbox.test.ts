import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import {
  cloudConvertJobs,
  toNodeListener,
  type CloudConvertJobResponse,
  type JobView,
  type StatusTaskView,
} from '../../../src/server/index.js';
import { TEST_KEY } from '../helpers/server-fixtures.js';
import { listen } from '../helpers/server-node-http.js';
import { pollJson } from '../helpers/server-sandbox-flows.js';

let sandbox: Sandbox;
let endpoint: Awaited<ReturnType<typeof listen>>;
let other: Awaited<ReturnType<typeof listen>>;

const TEXT = 'Converted by the sandbox through server-job mode.';

before(async () => {
  sandbox = await startSandbox({ port: 0, processingMs: 50 });
  const options = {
    apiKey: sandbox.cloudconvert.apiKey,
    apiBase: sandbox.cloudconvert.api,
    formats: { to: ['pdf'], from: ['txt'] },
  };
  endpoint = await listen(toNodeListener(cloudConvertJobs({ ...options, ticketSecret: TEST_KEY })));
  other = await listen(
    toNodeListener(cloudConvertJobs({ ...options, ticketSecret: `${TEST_KEY}-other-site` })),
  );
});
after(async () => {
  await endpoint.close();
  await other.close();
  await sandbox.close();
});

async function createJob(
  base: string,
  files = 1,
  importUrl?: string,
): Promise<{ response: Response; text: string; body: CloudConvertJobResponse }> {
  const response = await fetch(`${base}/api/convert/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      provider: 'cloudconvert',
      to: 'pdf',
      files: Array.from({ length: files }, (_, index) => ({
        name: `note-${index}.txt`,
        size: TEXT.length,
        type: 'text/plain',
        ...(importUrl === undefined ? {} : { importUrl }),
      })),
    }),
  });
  const text = await response.text();
  return { response, text, body: JSON.parse(text) as CloudConvertJobResponse };
}

async function upload(
  form: { url: string; parameters: Record<string, string> },
  name: string,
): Promise<number> {
  const body = new FormData();
  for (const [key, value] of Object.entries(form.parameters)) body.append(key, value);
  body.append('file', new Blob([TEXT], { type: 'text/plain' }), name);
  const response = await fetch(form.url, { method: 'POST', body });
  await response.arrayBuffer();
  return response.status;
}

describe('cloudConvertJobs against the sandbox', () => {
  it('creates the job with the API key and answers upload forms without any credential', async () => {
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    const { response, text, body } = await createJob(endpoint.url, 2);
    assert.equal(response.status, 200);
    assert.ok(!text.includes(sandbox.cloudconvert.apiKey));
    const creation = sandbox
      .requests(since)
      .find((entry) => entry.method === 'POST' && entry.path.endsWith('/jobs'));
    assert.equal(creation?.status, 201);
    assert.deepEqual(creation.credential, { kind: 'api-key', where: 'header' });
    const forms = body.job.tasks.filter((task) => task.operation === 'import/upload');
    assert.deepEqual(
      forms.map((task) => task.name),
      ['import-0', 'import-1'],
    );
    for (const task of forms) assert.ok(task.result?.form.url.startsWith(sandbox.cloudconvert.storage));
  });

  it('upload to the forms, follow statusUrl to finished, and download the export', async () => {
    const { body } = await createJob(endpoint.url, 1);
    const form = body.job.tasks.find((task) => task.name === 'import-0')?.result?.form;
    assert.ok(form);
    assert.equal(await upload(form, 'note-0.txt'), 201);
    const statusUrl = new URL(body.statusUrl, endpoint.url).href;
    const status = await pollJson<{ job: JobView<StatusTaskView> }>(
      statusUrl,
      ({ job }) => job.status === 'finished' || job.status === 'error',
    );
    assert.equal(status.job.status, 'finished');
    const exported = status.job.tasks.find((task) => task.name === 'export-0');
    const file = exported?.result?.files[0];
    assert.equal(file?.filename, 'note-0.pdf');
    const download = await fetch(file.url);
    assert.equal(download.status, 200);
    assert.equal(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
  });

  it('converts again from the export of the original (importUrl): an import/url task, no second upload', async () => {
    const finished = async (body: CloudConvertJobResponse) => {
      const status = await pollJson<{ job: JobView<StatusTaskView> }>(
        new URL(body.statusUrl, endpoint.url).href,
        ({ job }) => job.status === 'finished' || job.status === 'error',
      );
      assert.equal(status.job.status, 'finished');
      return (name: string) => status.job.tasks.find((task) => task.name === name)?.result?.files[0];
    };
    const { body: first } = await createJob(endpoint.url, 1);
    const form = first.job.tasks.find((task) => task.name === 'import-0')?.result?.form;
    assert.ok(form);
    assert.equal(await upload(form, 'note-0.txt'), 201);
    const original = (await finished(first))('original-0');
    assert.ok(original);
    assert.ok(original.url.startsWith(sandbox.cloudconvert.storage));
    assert.equal(original.filename, 'note-0.txt');
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    const { response, body: again } = await createJob(endpoint.url, 1, original.url);
    assert.equal(response.status, 200);
    assert.deepEqual(
      again.job.tasks.map((task) => [task.name, task.operation, task.result === undefined]),
      [
        ['import-0', 'import/url', true],
        ['original-0', 'export/url', true],
        ['convert-0', 'convert', true],
        ['export-0', 'export/url', true],
      ],
    );
    const exported = (await finished(again))('export-0');
    assert.equal(exported?.filename, 'note-0.pdf');
    const download = Buffer.from(await (await fetch(exported.url)).arrayBuffer());
    assert.equal(download.subarray(0, 5).toString(), '%PDF-');
    const uploads = sandbox
      .requests(since)
      .filter((entry) => entry.service === 'cloudconvert-storage' && entry.method === 'POST');
    assert.deepEqual(uploads, []);
  });

  it("refuses another site's ticket and a tampered one, and tells nothing about the job", async () => {
    const { body: foreign } = await createJob(other.url, 1);
    const ticket = foreign.statusUrl.split('/').pop() ?? '';
    const refused = await fetch(`${endpoint.url}/api/convert/jobs/${ticket}`);
    assert.equal(refused.status, 404);
    const text = await refused.text();
    assert.ok(!text.includes(foreign.job.id));
    const { body: own } = await createJob(endpoint.url, 1);
    const ownTicket = own.statusUrl.split('/').pop() ?? '';
    const tampered = `${ownTicket.slice(0, 40)}${ownTicket[40] === 'x' ? 'y' : 'x'}${ownTicket.slice(41)}`;
    assert.equal((await fetch(`${endpoint.url}/api/convert/jobs/${tampered}`)).status, 404);
    assert.equal((await fetch(`${endpoint.url}/api/convert/jobs/${foreign.job.id}`)).status, 404);
  });

  it('creates no job for a batch outside the allowlist', async () => {
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    const response = await fetch(`${endpoint.url}/api/convert/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        provider: 'cloudconvert',
        to: 'pdf',
        files: [{ name: 'x.exe', size: 10, type: '' }],
      }),
    });
    assert.equal(response.status, 400);
    assert.equal(sandbox.requests(since).length, 0);
  });
});
