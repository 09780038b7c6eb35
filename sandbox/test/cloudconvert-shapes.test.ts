import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  postUploadForm,
  startCloudConvert,
  type CloudConvertHarness,
  type TaskJson,
} from './helpers/cloudconvert-client.js';
import { labelOf, shapeDifferences, xmlElementNames, type Exchange } from './helpers/cloudconvert-shapes.js';

// Real exchanges with CloudConvert's sandbox API, recorded by the official Ruby SDK's integration tests
// (see fixtures/README.md for the source and licence). A missing file fails the suite: it is part of the repo.
const recordingPath = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/cloudconvert-recorded.json');

interface RecordedInteraction {
  cassette: string;
  request: { method: string; uri: string; body: string };
  response: { status: number; headers: Record<string, string[]>; body: unknown };
}

/** Headers compared between recording and sandbox; `value` ones must match exactly. */
const COMPARED_HEADERS: Array<{ name: string; value: boolean; hosts: Exchange['host'][] }> = [
  { name: 'content-type', value: true, hosts: ['api', 'sync'] },
  { name: 'cache-control', value: true, hosts: ['api', 'sync'] },
  { name: 'x-ratelimit-limit', value: false, hosts: ['api', 'sync'] },
  { name: 'x-ratelimit-remaining', value: false, hosts: ['api', 'sync'] },
  { name: 'etag', value: false, hosts: ['sync', 'storage'] },
  { name: 'location', value: false, hosts: ['storage'] },
  { name: 'content-disposition', value: false, hosts: ['storage'] },
  { name: 'access-control-allow-credentials', value: false, hosts: ['sync'] },
];

function recordedExchange(interaction: RecordedInteraction): Exchange {
  const url = new URL(interaction.request.uri);
  const host = url.hostname.startsWith('sync.')
    ? 'sync'
    : url.hostname.startsWith('api.')
      ? 'api'
      : url.hostname.includes('storage')
        ? 'storage'
        : 'other';
  const headers = Object.fromEntries(
    Object.entries(interaction.response.headers).map(([name, values]) => [
      name.toLowerCase(),
      values.join(', '),
    ]),
  );
  return {
    host,
    method: interaction.request.method,
    path: url.pathname,
    status: interaction.response.status,
    headers,
    body: interaction.response.body,
  };
}

describe('CloudConvert sandbox response shapes match the recorded real exchanges', () => {
  let harness: CloudConvertHarness;
  const samples = new Map<string, Exchange>();
  let restoreFetch: () => void = () => undefined;

  before(async () => {
    harness = await startCloudConvert({ processingMs: 50 });
    const { cc } = harness;
    const original = globalThis.fetch;
    const bases: Array<[Exchange['host'], string]> = [
      ['api', cc.api.replace(/\/v2$/, '')],
      ['sync', cc.sync.replace(/\/v2$/, '')],
      ['storage', cc.storage],
    ];
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const response = await original(input, init);
      const match = bases.find(([, base]) => href.startsWith(`${base}/`));
      if (!match) return response;
      const text = await response.clone().text();
      const isJson = (response.headers.get('content-type') ?? '').includes('json');
      const exchange: Exchange = {
        host: match[0],
        method: init?.method ?? 'GET',
        path: new URL(href).pathname.slice(new URL(match[1]).pathname.length),
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: isJson && text ? (JSON.parse(text) as unknown) : text,
      };
      samples.set(labelOf(exchange), exchange);
      return response;
    };
    restoreFetch = () => {
      globalThis.fetch = original;
    };
    await runScenario(harness);
  });
  after(async () => {
    restoreFetch();
    await harness.close();
  });

  const { interactions } = JSON.parse(readFileSync(recordingPath, 'utf8')) as {
    interactions: RecordedInteraction[];
  };
  it('the recording holds the exchanges to compare', () => {
    assert.ok(interactions.length >= 30, `${interactions.length} recorded exchanges`);
  });
  for (const [index, interaction] of interactions.entries()) {
    const recorded = recordedExchange(interaction);
    const label = labelOf(recorded);
    it(`#${index} ${label} (${interaction.cassette})`, () => {
      const actual = samples.get(label);
      assert.ok(
        actual,
        `the scenario produced no sandbox counterpart for "${label}"; seen: ${[...samples.keys()].join(' | ')}`,
      );
      assert.equal(actual.status, recorded.status);
      for (const header of COMPARED_HEADERS) {
        if (!header.hosts.includes(recorded.host)) continue;
        const expected = recorded.headers[header.name];
        const got: string | undefined = actual.headers[header.name];
        if (header.value && expected !== undefined) assert.equal(got, expected, `header ${header.name}`);
        else
          assert.equal(
            got !== undefined,
            expected !== undefined,
            `header ${header.name} present iff recorded`,
          );
      }
      if (typeof recorded.body === 'object' && recorded.body !== null) {
        assert.deepEqual(shapeDifferences(recorded.body, actual.body), []);
      } else if (recorded.host === 'storage' && recorded.method === 'POST') {
        assert.deepEqual(xmlElementNames(String(actual.body)), xmlElementNames(String(recorded.body)));
      } else if (recorded.body === '') {
        assert.equal(actual.body, '');
      }
    });
  }
});

/** Replays the recorded flows (Ruby SDK integration tests) against the sandbox. */
async function runScenario(harness: CloudConvertHarness): Promise<void> {
  const { apiData, sync, api } = harness;
  const finished = async (id: string): Promise<TaskJson> =>
    ((await (await sync(`/tasks/${id}`)).json()) as { data: TaskJson }).data;

  // performs_import_upload_task
  const upload = await apiData<TaskJson>('/import/upload', {
    method: 'POST',
    body: { operation: 'import/upload' },
  });
  await postUploadForm(upload.result!.form!, { name: 'input.txt', data: 'recorded flow' });
  await finished(upload.id);
  await api(`/tasks/${upload.id}`, { method: 'DELETE' });

  // performs_upload_and_download_of_file
  const job = await apiData<{ id: string; tasks: TaskJson[] }>('/jobs', {
    method: 'POST',
    body: {
      tag: 'integration-test-upload-download',
      tasks: {
        'import-it': { operation: 'import/upload' },
        'export-it': { input: 'import-it', operation: 'export/url' },
      },
    },
  });
  const importIt = await apiData<TaskJson>(
    `/tasks/${job.tasks.find((task) => task.name === 'import-it')!.id}`,
  );
  await postUploadForm(importIt.result!.form!, { name: 'input.txt', data: 'recorded flow' });
  const exportIt = await finished(job.tasks.find((task) => task.name === 'export-it')!.id);
  const url = exportIt.result!.files![0]!.url!;
  await (await fetch(url)).arrayBuffer();

  // performs_import_url_task (from the sandbox's own storage: it has no external network)
  const imported = await apiData<TaskJson>('/import/url', {
    method: 'POST',
    body: { operation: 'import/url', url },
  });
  await finished(imported.id);
  await api(`/tasks/${imported.id}`, { method: 'DELETE' });
  await api(`/jobs/${job.id}`, { method: 'DELETE' });

  // performs_user_query
  await apiData('/users/me');
}
