/**
 * CloudConvert's document operations over HTTP: PDF pages as several exported files, the merge and
 * archive operations, loopback imports, and `/v2/convert/formats` following the engines found.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { imageInfo, pageCount, pdfText, pdfWithPages, requireTool, zipEntries } from './helpers/documents.js';
import {
  startCloudConvert,
  taskNamed,
  type CloudConvertHarness,
  type JobJson,
} from './helpers/cloudconvert-client.js';

let harness: CloudConvertHarness;
let page: Server;
let pageUrl: string;

before(async () => {
  harness = await startCloudConvert({ processingMs: 20, engines: { libreoffice: false } });
  requireTool(harness.sandbox.engines.pdftoppm, 'poppler-utils (pdftoppm)');
  page = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>Imported from the loopback</h1>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/page.html`;
});
after(async () => {
  await harness.close();
  await new Promise((resolve) => page.close(resolve));
});

/** Creates a job and waits for it on the sync host. */
async function runJob(tasks: Record<string, Record<string, unknown>>): Promise<JobJson> {
  const job = await harness.apiData<JobJson>('/jobs', { method: 'POST', body: { tasks } });
  const response = await harness.sync(`/jobs/${job.id}`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { data: JobJson }).data;
}

/** An `import/base64` task for the bytes. */
function imported(data: Buffer, filename: string): Record<string, unknown> {
  return { operation: 'import/base64', file: data.toString('base64'), filename };
}

/** The files an export/url task lists, downloaded. */
async function exported(job: JobJson, name = 'export'): Promise<Array<{ filename: string; data: Buffer }>> {
  const files = taskNamed(job, name).result?.files ?? [];
  return Promise.all(
    files.map(async (file) => ({
      filename: file.filename,
      data: Buffer.from(await (await fetch(file.url ?? '')).arrayBuffer()),
    })),
  );
}

describe('CloudConvert: document operations', () => {
  it('convert pdf → png exports one file per page', async () => {
    const job = await runJob({
      pdf: imported(await pdfWithPages(['one', 'two', 'three']), 'slides.pdf'),
      convert: { operation: 'convert', input: 'pdf', output_format: 'png', pixel_density: 50 },
      export: { operation: 'export/url', input: 'convert' },
    });
    assert.equal(job.status, 'finished');
    const files = await exported(job);
    assert.deepEqual(
      files.map((file) => file.filename),
      ['slides-1.png', 'slides-2.png', 'slides-3.png'],
    );
    for (const file of files) assert.equal((await imageInfo(file.data)).format, 'png');
  });

  it('merge: the PDFs and a converted text file in one PDF, in input order', async () => {
    const job = await runJob({
      first: imported(await pdfWithPages(['Chapter one', 'Chapter two']), 'book.pdf'),
      second: imported(Buffer.from('Afterword in plain text'), 'afterword.txt'),
      merge: { operation: 'merge', input: ['first', 'second'], output_format: 'pdf', filename: 'whole.pdf' },
      export: { operation: 'export/url', input: 'merge' },
    });
    assert.equal(job.status, 'finished', JSON.stringify(taskNamed(job, 'merge')));
    const [merged] = await exported(job);
    assert.equal(merged?.filename, 'whole.pdf');
    assert.equal(await pageCount(merged.data), 3);
    const text = await pdfText(merged.data);
    assert.ok(text.indexOf('Chapter two') < text.indexOf('Afterword in plain text'), text);
  });

  it('archive: the inputs in one ZIP; tar fails with INVALID_CONVERSION_TYPE', async () => {
    const job = await runJob({
      a: imported(Buffer.from('alpha'), 'a.txt'),
      b: imported(await pdfWithPages(['beta']), 'b.pdf'),
      archive: { operation: 'archive', input: ['a', 'b'], output_format: 'zip' },
      export: { operation: 'export/url', input: 'archive' },
    });
    assert.equal(job.status, 'finished');
    const [zip] = await exported(job);
    assert.equal(zip?.filename, 'a.zip');
    assert.deepEqual(zipEntries(zip.data), ['a.txt', 'b.pdf']);

    const tar = await runJob({
      a: imported(Buffer.from('alpha'), 'a.txt'),
      archive: { operation: 'archive', input: 'a', output_format: 'tar' },
    });
    assert.equal(taskNamed(tar, 'archive').code, 'INVALID_CONVERSION_TYPE');
  });

  it('merge and archive need an input and an output_format (422)', async () => {
    const response = await harness.api('/jobs', {
      method: 'POST',
      body: { tasks: { merge: { operation: 'merge' }, archive: { operation: 'archive', input: 'merge' } } },
    });
    assert.equal(response.status, 422);
    const { errors } = (await response.json()) as { errors: Record<string, string[]> };
    assert.ok(
      errors['tasks.merge.input'] &&
        errors['tasks.merge.output_format'] &&
        errors['tasks.archive.output_format'],
    );
  });

  it('import/url fetches a page served on the loopback and refuses anything beyond it', async () => {
    const job = await runJob({
      page: { operation: 'import/url', url: pageUrl },
      convert: { operation: 'convert', input: 'page', output_format: 'pdf' },
      export: { operation: 'export/url', input: 'convert' },
    });
    assert.equal(job.status, 'finished');
    const [pdf] = await exported(job);
    assert.equal(pdf?.filename, 'page.pdf');
    assert.ok((await pdfText(pdf.data)).includes('Imported from the loopback'));

    const far = await runJob({ page: { operation: 'import/url', url: 'https://example.com/page.html' } });
    const task = taskNamed(far, 'page');
    assert.equal(task.code, 'DOWNLOAD_FAILED');
    assert.match(String(task['message']), /loopback only/);
  });

  it('an Office format without LibreOffice: the job is accepted, the convert task fails INVALID_CONVERSION_TYPE', async () => {
    const job = await runJob({
      slides: imported(Buffer.from('x'), 'slides.pptx'),
      convert: { operation: 'convert', input: 'slides', output_format: 'pdf' },
    });
    assert.equal(job.status, 'error');
    assert.equal(taskNamed(job, 'convert').code, 'INVALID_CONVERSION_TYPE');
  });
});

describe('CloudConvert: /v2/convert/formats follows the engines', () => {
  async function pairs(target: CloudConvertHarness): Promise<Set<string>> {
    const { data } = (await (await target.api('/convert/formats', { token: null })).json()) as {
      data: Array<{ input_format: string; output_format: string }>;
    };
    return new Set(data.map((row) => `${row.input_format}>${row.output_format}`));
  }

  it('lists pptx, doc and odt only when LibreOffice is there', async () => {
    const full = await startCloudConvert();
    try {
      requireTool(full.sandbox.engines.libreoffice, 'LibreOffice (soffice)');
      const withLibreOffice = await pairs(full);
      const without = await pairs(harness);
      for (const pair of ['docx>pdf', 'xlsx>pdf', 'pdf>png', 'pdf>jpg', 'pdf>txt', 'docx>png']) {
        assert.ok(withLibreOffice.has(pair) && without.has(pair), pair);
      }
      for (const pair of ['pptx>pdf', 'doc>pdf', 'odt>pdf', 'csv>pdf', 'pptx>jpg']) {
        assert.ok(withLibreOffice.has(pair) && !without.has(pair), pair);
      }
      const pages = (await (
        await harness.api(
          '/convert/formats?filter[input_format]=pdf&filter[output_format]=png&include=options',
          {
            token: null,
          },
        )
      ).json()) as { data: Array<{ options: Array<{ name: string }> }> };
      assert.deepEqual(
        pages.data[0]?.options.map((option) => option.name),
        ['pixel_density', 'quality'],
      );
    } finally {
      await full.close();
    }
  });
});
