import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import sharp from 'sharp';
import { startSandbox } from '../src/index.js';
import type { Sandbox } from '../src/index.js';
import { control, rawRequest } from './helpers/sandbox-http.js';

interface UploadResult {
  FileId: string;
  FileName: string;
  FileExt: string;
  FileSize: number;
  Url: string;
}

interface ResultFile {
  FileName: string;
  FileExt: string;
  FileSize: number;
  FileId?: string;
  Url?: string;
  FileData?: string;
}

interface ConversionResult {
  ConversionCost: number;
  Files: ResultFile[];
}

interface ErrorBody {
  Code: number;
  Message: string;
  InvalidParameters?: Record<string, string[]>;
}

let sandbox: Sandbox;
let base: string;
let secret: string;
let bearer: Record<string, string>;
let png: Buffer;

before(async () => {
  sandbox = await startSandbox({ processingMs: 250 });
  ({ base, secret } = sandbox.convertapi);
  bearer = { Authorization: `Bearer ${secret}` };
  png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
});
after(() => sandbox.close());

async function upload(name: string, content: string | Buffer): Promise<UploadResult> {
  const response = await fetch(`${base}/upload?filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Accept: 'application/json' },
    body: typeof content === 'string' ? content : new Uint8Array(content),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as UploadResult;
}

type JsonParameter = { Name: string; Value?: unknown; FileValue?: unknown; FileValues?: unknown[] };

function convertJson(
  path: string,
  parameters: JsonParameter[],
  headers: Record<string, string> = bearer,
): Promise<Response> {
  return fetch(`${base}/convert/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ Parameters: parameters }),
  });
}

async function expectError(response: Response, status: number, code: number): Promise<ErrorBody> {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, `status (body: ${JSON.stringify(body)})`);
  assert.equal(body.Code, code);
  assert.equal(typeof body.Message, 'string');
  return body;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

function assertPdf(bytes: Buffer): void {
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
}

describe('POST /upload', () => {
  it('takes a raw body named by the filename query parameter, without credentials', async () => {
    const result = await upload('notes.txt', 'hello');
    assert.match(result.FileId, /^[a-z0-9]{32}$/);
    assert.equal(result.FileName, 'notes.txt');
    assert.equal(result.FileExt, 'txt');
    assert.equal(result.FileSize, 5);
    assert.equal(result.Url, `${base}/d/${result.FileId}/notes.txt`);
    assert.equal((await download(result.Url)).toString(), 'hello');
  });

  it('reads the name from Content-Disposition (RFC 5987 too), the query parameter winning', async () => {
    const named = await fetch(`${base}/upload`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Disposition': `attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.md`,
      },
      body: '# Hi',
    });
    assert.equal(((await named.json()) as UploadResult).FileName, 'résumé.md');
    const both = await fetch(`${base}/upload?filename=query.txt`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Disposition': 'attachment; filename="header.txt"' },
      body: 'x',
    });
    assert.equal(((await both.json()) as UploadResult).FileName, 'query.txt');
  });

  it('answers the bare FileId for text/plain and without Accept, JSON for a wildcard', async () => {
    const text = await rawRequest(`${base}/upload?filename=a.txt`, {
      method: 'POST',
      headers: { Accept: 'text/plain' },
      body: 'a',
    });
    assert.match(text.body.toString(), /^[a-z0-9]{32}$/);
    const none = await rawRequest(`${base}/upload?filename=a.txt`, { method: 'POST', body: 'a' });
    assert.match(none.body.toString(), /^[a-z0-9]{32}$/);
    const any = await rawRequest(`${base}/upload?filename=a.txt`, {
      method: 'POST',
      headers: { Accept: '*/*' },
      body: 'a',
    });
    assert.equal((JSON.parse(any.body.toString()) as UploadResult).FileName, 'a.txt');
  });

  it('takes a multipart body with one file part', async () => {
    const form = new FormData();
    form.append('file', new Blob(['from a form']), 'form.txt');
    const response = await fetch(`${base}/upload`, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: form,
    });
    const result = (await response.json()) as UploadResult;
    assert.equal(result.FileName, 'form.txt');
    assert.equal((await download(result.Url)).toString(), 'from a form');
  });

  it('copies a file this sandbox serves with ?url=, and cannot fetch others (5007)', async () => {
    const original = await upload('source.txt', 'copied bytes');
    const copy = await fetch(`${base}/upload?url=${encodeURIComponent(original.Url)}&FileName=copy.txt`, {
      method: 'POST',
      headers: { Accept: 'application/json' },
    });
    const result = (await copy.json()) as UploadResult;
    assert.equal(result.FileName, 'copy.txt');
    assert.notEqual(result.FileId, original.FileId);
    assert.equal((await download(result.Url)).toString(), 'copied bytes');
    const javaForm = await fetch(`${base}/upload-from-url?url=${encodeURIComponent(original.Url)}`, {
      method: 'POST',
      headers: { Accept: 'application/json' },
    });
    assert.equal(((await javaForm.json()) as UploadResult).FileName, 'source.txt');
    const foreign = await fetch(`${base}/upload?url=${encodeURIComponent('https://example.com/x.txt')}`, {
      method: 'POST',
      headers: { Accept: 'application/json' },
    });
    await expectError(foreign, 500, 5007);
  });

  it('refuses a raw body without a name (4001) and an empty file (4000)', async () => {
    await expectError(await fetch(`${base}/upload`, { method: 'POST', body: 'x' }), 400, 4001);
    const empty = await expectError(
      await fetch(`${base}/upload?filename=e.txt`, {
        method: 'POST',
        headers: { 'Content-Length': '0' },
        body: '',
      }),
      400,
      4000,
    );
    assert.ok(empty.InvalidParameters?.['File']);
  });
});

describe('POST /convert/{from}/to/{to}: body forms', () => {
  it('JSON with FileValue Id, StoreFile true: a stored PDF with a download link', async () => {
    const { FileId } = await upload('report.txt', 'Quarterly report');
    const response = await convertJson('txt/to/pdf', [
      { Name: 'File', FileValue: { Id: FileId } },
      { Name: 'StoreFile', Value: true },
    ]);
    assert.equal(response.status, 200);
    const result = (await response.json()) as ConversionResult;
    assert.equal(result.ConversionCost, 1);
    assert.equal(result.Files.length, 1);
    const [file] = result.Files;
    assert.equal(file?.FileName, 'report.pdf');
    assert.equal(file.FileExt, 'pdf');
    assert.match(file.FileId ?? '', /^[a-z0-9]{32}$/);
    assert.equal(file.Url, `${base}/d/${file.FileId}/report.pdf`);
    const pdf = await download(file.Url);
    assertPdf(pdf);
    assert.equal(pdf.length, file.FileSize);
  });

  it('JSON with inline base64 Data and with a Url of an earlier result', async () => {
    const inline = await convertJson('png/to/jpg', [
      { Name: 'File', FileValue: { Name: 'dot.png', Data: png.toString('base64') } },
      { Name: 'StoreFile', Value: 'true' },
    ]);
    const jpg = ((await inline.json()) as ConversionResult).Files[0]!;
    assert.equal(jpg.FileName, 'dot.jpg');
    const chained = await convertJson('jpg/to/webp', [
      { Name: 'File', FileValue: { Url: jpg.Url } },
      { Name: 'StoreFile', Value: true },
    ]);
    const webp = ((await chained.json()) as ConversionResult).Files[0]!;
    assert.equal(webp.FileName, 'dot.webp');
    assert.equal((await sharp(await download(webp.Url!)).metadata()).format, 'webp');
  });

  it('multipart with a File part and text parameters', async () => {
    const form = new FormData();
    form.append('File', new Blob(['multipart text']), 'multi.txt');
    form.append('StoreFile', 'true');
    const response = await fetch(`${base}/convert/txt/to/pdf`, {
      method: 'POST',
      headers: bearer,
      body: form,
    });
    assert.equal(response.status, 200);
    const [file] = ((await response.json()) as ConversionResult).Files;
    assert.equal(file?.FileName, 'multi.pdf');
    assertPdf(await download(file.Url!));
  });

  it('x-www-form-urlencoded with File=<FileId>, as the Node SDK sends', async () => {
    const { FileId } = await upload('form.md', '# Title\n\nBody');
    const response = await fetch(`${base}/convert/md/to/pdf`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ File: FileId, StoreFile: 'true' }).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as ConversionResult).Files[0]?.FileName, 'form.pdf');
  });

  it('a raw octet-stream body with Content-Disposition, parameters in the query', async () => {
    const response = await fetch(`${base}/convert/html/to/pdf?StoreFile=true`, {
      method: 'POST',
      headers: {
        ...bearer,
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': 'inline; filename="page.html"',
      },
      body: '<html><body><h1>Page</h1></body></html>',
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as ConversionResult).Files[0]?.FileName, 'page.pdf');
    const nameless = await fetch(`${base}/convert/html/to/pdf`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/octet-stream' },
      body: '<p>x</p>',
    });
    await expectError(nameless, 400, 4001);
  });

  it('query only, with GET', async () => {
    const { FileId } = await upload('get.txt', 'via GET');
    const response = await fetch(`${base}/convert/txt/to/pdf?File=${FileId}&StoreFile=true`, {
      headers: bearer,
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as ConversionResult).Files[0]?.FileName, 'get.pdf');
  });

  it('matches parameter names case-insensitively', async () => {
    const { FileId } = await upload('case.txt', 'case');
    const response = await fetch(`${base}/convert/TXT/to/PDF`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `file=${FileId}&STOREFILE=TRUE&filename=renamed`,
    });
    assert.equal(response.status, 200);
    const [file] = ((await response.json()) as ConversionResult).Files;
    assert.equal(file?.FileName, 'renamed.pdf');
    assert.ok(file.Url);
  });
});

describe('POST /convert: results', () => {
  it('StoreFile false (the default) returns the bytes as base64 FileData', async () => {
    const { FileId } = await upload('inline.txt', 'inline result');
    const response = await convertJson('txt/to/pdf', [{ Name: 'File', FileValue: { Id: FileId } }]);
    const [file] = ((await response.json()) as ConversionResult).Files;
    assert.equal(file?.FileName, 'inline.pdf');
    assert.equal(file.Url, undefined);
    const bytes = Buffer.from(file.FileData ?? '', 'base64');
    assertPdf(bytes);
    assert.equal(bytes.length, file.FileSize);
  });

  it('Accept: application/octet-stream returns the raw file with its name', async () => {
    const { FileId } = await upload('raw.txt', 'raw');
    const response = await convertJson('txt/to/pdf', [{ Name: 'File', FileValue: { Id: FileId } }], {
      ...bearer,
      Accept: 'application/octet-stream',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="raw.pdf"');
    assertPdf(Buffer.from(await response.arrayBuffer()));
  });

  it('download=inline returns the raw file for the browser', async () => {
    const { FileId } = await upload('view.txt', 'view');
    const response = await fetch(`${base}/convert/txt/to/pdf?File=${FileId}&download=inline`, {
      headers: bearer,
    });
    assert.equal(response.headers.get('content-disposition'), 'inline; filename="view.pdf"');
    assertPdf(Buffer.from(await response.arrayBuffer()));
  });

  it('Accept: multipart/mixed returns one part per file', async () => {
    const { FileId } = await upload('parts.txt', 'parts');
    const response = await convertJson('txt/to/pdf', [{ Name: 'File', FileValue: { Id: FileId } }], {
      ...bearer,
      Accept: 'multipart/mixed',
    });
    assert.match(response.headers.get('content-type') ?? '', /^multipart\/mixed; boundary=/);
    const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
    assert.match(text, /Content-Disposition: attachment; filename="parts\.pdf"; size=\d+/);
    assert.match(text, /%PDF-/);
  });

  it('converts several image files into several results, numbering a shared FileName', async () => {
    const first = await upload('a.png', png);
    const second = await upload('b.png', png);
    const response = await convertJson('png/to/jpg', [
      { Name: 'Files', FileValues: [{ Id: first.FileId }, { Id: second.FileId }] },
      { Name: 'StoreFile', Value: true },
    ]);
    const names = ((await response.json()) as ConversionResult).Files.map((file) => file.FileName);
    assert.deepEqual(names, ['a.jpg', 'b.jpg']);

    const indexed = await fetch(`${base}/convert/png/to/jpg`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `Files[1]=${second.FileId}&Files[0]=${first.FileId}&FileName=photo&StoreFile=true`,
    });
    const files = ((await indexed.json()) as ConversionResult).Files;
    assert.deepEqual(
      files.map((file) => file.FileName),
      ['photo.jpg', 'photo-2.jpg'],
    );
    for (const file of files)
      assert.equal((await sharp(await download(file.Url!)).metadata()).format, 'jpeg');
  });
});

describe('POST /convert: errors', () => {
  it('several files for a single-file converter: 4000 on File', async () => {
    const one = await upload('1.txt', '1');
    const two = await upload('2.txt', '2');
    const body = await expectError(
      await convertJson('txt/to/pdf', [
        { Name: 'Files', FileValues: [{ Id: one.FileId }, { Id: two.FileId }] },
      ]),
      400,
      4000,
    );
    assert.equal(body.Message, 'Parameter validation error.');
    assert.ok(body.InvalidParameters?.['File']);
  });

  it('Timeout outside 10..1200: 4000 on Timeout; inside: fine', async () => {
    const { FileId } = await upload('t.txt', 't');
    const body = await expectError(
      await convertJson('txt/to/pdf', [
        { Name: 'File', FileValue: { Id: FileId } },
        { Name: 'Timeout', Value: 5 },
      ]),
      400,
      4000,
    );
    assert.ok(body.InvalidParameters?.['Timeout']);
    await expectError(
      await convertJson('txt/to/pdf', [
        { Name: 'File', FileValue: { Id: FileId } },
        { Name: 'Timeout', Value: 1201 },
      ]),
      400,
      4000,
    );
    const ok = await convertJson('txt/to/pdf', [
      { Name: 'File', FileValue: { Id: FileId } },
      { Name: 'timeout', Value: 10 },
    ]);
    assert.equal(ok.status, 200);
  });

  it('no file: 4000; bad JSON: 4002; FileValue without Id, Url or Data: 4005', async () => {
    const missing = await expectError(
      await convertJson('txt/to/pdf', [{ Name: 'StoreFile', Value: true }]),
      400,
      4000,
    );
    assert.ok(missing.InvalidParameters?.['File']);
    const bad = await fetch(`${base}/convert/txt/to/pdf`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/json' },
      body: '{"Parameters": [',
    });
    await expectError(bad, 400, 4002);
    await expectError(
      await convertJson('txt/to/pdf', [{ Name: 'File', FileValue: { Name: 'x.txt' } }]),
      400,
      4005,
    );
  });

  it('unknown FileId: 5009; a URL the sandbox does not serve: 5007', async () => {
    await expectError(
      await convertJson('txt/to/pdf', [{ Name: 'File', FileValue: { Id: 'nosuchfile' } }]),
      500,
      5009,
    );
    await expectError(
      await convertJson('txt/to/pdf', [{ Name: 'File', FileValue: { Url: 'https://example.com/a.txt' } }]),
      500,
      5007,
    );
  });

  it('a damaged image: 5002', async () => {
    const { FileId } = await upload('broken.png', Buffer.from('this is not a PNG at all'));
    await expectError(
      await convertJson('png/to/jpg', [{ Name: 'File', FileValue: { Id: FileId } }]),
      500,
      5002,
    );
  });

  it('a pair outside the matrix: 415', async () => {
    const { FileId } = await upload('clip.mp4', 'not really');
    await expectError(
      await convertJson('mp4/to/pdf', [{ Name: 'File', FileValue: { Id: FileId } }]),
      415,
      415,
    );
  });
});

describe('GET|DELETE /d/{FileId}[/{name}]', () => {
  it('serves with and without the name, inline on request, and deletes', async () => {
    const { FileId } = await upload('keep.txt', 'kept');
    const plain = await fetch(`${base}/d/${FileId}`);
    assert.equal(plain.headers.get('content-disposition'), 'attachment; filename="keep.txt"');
    assert.equal(await plain.text(), 'kept');
    const inline = await fetch(`${base}/d/${FileId}/keep.txt?download=inline`);
    assert.equal(inline.headers.get('content-disposition'), 'inline; filename="keep.txt"');
    await inline.arrayBuffer();
    assert.equal((await fetch(`${base}/d/${FileId}`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${base}/d/${FileId}`)).status, 404);
    assert.equal((await fetch(`${base}/d/${FileId}`, { method: 'DELETE' })).status, 404);
  });
});

describe('async conversions', () => {
  it('answers a JobId, 202 while processing, then the result; DELETE and unknown ids', async () => {
    const { FileId } = await upload('later.txt', 'later');
    const started = await fetch(`${base}/async/convert/txt/to/pdf?StoreFile=true&File=${FileId}`, {
      method: 'POST',
      headers: bearer,
    });
    assert.equal(started.status, 200);
    const { JobId } = (await started.json()) as { JobId: string };
    assert.match(JobId, /^[a-z0-9]{32}$/);
    const first = await fetch(`${base}/async/job/${JobId}`);
    assert.equal(first.status, 202);
    let done: Response = first;
    for (let i = 0; i < 50 && done.status === 202; i++) {
      await sleep(50);
      done = await fetch(`${base}/async/job/${JobId}`);
    }
    assert.equal(done.status, 200);
    const result = (await done.json()) as ConversionResult;
    assert.equal(result.Files[0]?.FileName, 'later.pdf');
    assertPdf(await download(result.Files[0].Url!));
    assert.equal((await fetch(`${base}/async/job/${JobId}`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${base}/async/job/${JobId}`)).status, 404);
    assert.equal((await fetch(`${base}/async/job/unknown`)).status, 404);
  });

  it('supports the legacy ?Async=true and /job/{id} forms, and POSTs {JobId} to a WebHook', async () => {
    const calls: unknown[] = [];
    const hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        calls.push({
          method: req.method,
          type: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString()) as unknown,
        });
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/done`;
      const { FileId } = await upload('legacy.txt', 'legacy');
      const started = await fetch(
        `${base}/convert/txt/to/pdf?Async=true&File=${FileId}&WebHook=${encodeURIComponent(hookUrl)}`,
        { method: 'POST', headers: bearer },
      );
      const { JobId } = (await started.json()) as { JobId: string };
      assert.equal((await fetch(`${base}/job/${JobId}`)).status, 202);
      for (let i = 0; i < 100 && calls.length === 0; i++) await sleep(20);
      assert.deepEqual(calls, [{ method: 'POST', type: 'application/json', body: { JobId } }]);
      // Once the WebHook is called, a poll finds the job done.
      const done = await fetch(`${base}/job/${JobId}`);
      assert.equal(done.status, 200);
      assert.equal(((await done.json()) as ConversionResult).Files[0]?.FileName, 'legacy.pdf');
    } finally {
      hook.closeAllConnections();
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it('takes a client JobId of 32 lower-case alphanumerics and refuses others', async () => {
    const { FileId } = await upload('mine.txt', 'mine');
    const jobId = 'a'.repeat(16) + '0123456789abcdef';
    const started = await fetch(`${base}/async/convert/txt/to/pdf?File=${FileId}&JobId=${jobId}`, {
      method: 'POST',
      headers: bearer,
    });
    assert.deepEqual(await started.json(), { JobId: jobId });
    const refused = await fetch(`${base}/async/convert/txt/to/pdf?File=${FileId}&JobId=NOT-VALID`, {
      method: 'POST',
      headers: bearer,
    });
    await expectError(refused, 400, 4000);
  });
});

describe('GET /user and /info', () => {
  it('/user needs the secret and reports the balance', async () => {
    const user = await fetch(`${base}/user`, { headers: bearer });
    const info = (await user.json()) as Record<string, unknown>;
    assert.equal(info['Active'], true);
    assert.equal(String(info['ApiKey']), sandbox.convertapi.apiKey);
    assert.equal(typeof info['ConversionsConsumed'], 'number');
    await expectError(await fetch(`${base}/user`), 401, 4013);
    const viaQuery = await fetch(`${base}/user?Secret=${encodeURIComponent(secret)}`);
    assert.equal(viaQuery.status, 200);
  });

  it('/info lists converters, filters with * and answers canconvert with 200/404', async () => {
    const all = (await (await fetch(`${base}/info`)).json()) as Array<{
      Name: string;
      SourceFileFormats: string[];
    }>;
    assert.ok(all.some((converter) => converter.Name === 'TxtToPdf'));
    const toPdf = (await (await fetch(`${base}/info/*/to/pdf`)).json()) as Array<{
      DestinationFileFormats: string[];
    }>;
    assert.ok(toPdf.length >= 4);
    assert.ok(toPdf.every((converter) => converter.DestinationFileFormats[0] === 'pdf'));
    const fromPng = (await (await fetch(`${base}/info/png/to/*`)).json()) as Array<{
      SourceFileFormats: string[];
    }>;
    assert.ok(fromPng.every((converter) => converter.SourceFileFormats[0] === 'png'));
    assert.equal((await fetch(`${base}/info/canconvert/jpeg/to/png`)).status, 200);
    assert.equal((await fetch(`${base}/info/canconvert/mp4/to/pdf`)).status, 404);
    assert.equal((await fetch(`${base}/info/converter/TxtToPdf`)).status, 200);
  });
});

describe('tokens', () => {
  async function createTokens(query: string, headers: Record<string, string> = bearer): Promise<Response> {
    return fetch(`${base}/token/create?${query}`, { method: 'POST', headers });
  }

  async function convertWith(headers: Record<string, string>, query = ''): Promise<Response> {
    const { FileId } = await upload('t.txt', 'token use');
    return fetch(`${base}/convert/txt/to/pdf?File=${FileId}${query}`, { method: 'POST', headers });
  }

  it('creates tokens with the documented defaults and limits', async () => {
    const one = (await (await createTokens('')).json()) as {
      Tokens: Array<{ Id: string; ValidUntil: string }>;
    };
    assert.equal(one.Tokens.length, 1);
    assert.match(one.Tokens[0]!.Id, /^[A-Za-z0-9]{8}$/);
    const lifetime = Date.parse(one.Tokens[0]!.ValidUntil) - Date.now();
    assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, 'default Lifetime 3600 s');
    const two = (await (await createTokens(`Secret=${encodeURIComponent(secret)}&Count=2`, {})).json()) as {
      Tokens: unknown[];
    };
    assert.equal(two.Tokens.length, 2);
    const tooMany = await expectError(await createTokens('RequestCount=1000000000'), 400, 4000);
    assert.ok(tooMany.InvalidParameters?.['RequestCount']);
    await expectError(await createTokens('Lifetime=315569521'), 400, 4000);
    await expectError(await createTokens('', {}), 401, 4013);
  });

  it('enforces RequestCount, counting only successful conversions', async () => {
    const { Tokens } = (await (await createTokens('RequestCount=2')).json()) as {
      Tokens: Array<{ Id: string }>;
    };
    const headers = { Authorization: `Bearer ${Tokens[0]!.Id}` };
    assert.equal((await convertWith(headers)).status, 200);
    const failed = await fetch(`${base}/convert/txt/to/pdf?File=doesnotexist`, { method: 'POST', headers });
    await expectError(failed, 500, 5009);
    assert.equal((await convertWith({}, `&Token=${Tokens[0]!.Id}`)).status, 200, 'the query form works too');
    await expectError(await convertWith(headers), 401, 4011);
  });

  it('enforces Lifetime', async () => {
    const { Tokens } = (await (await createTokens('Lifetime=1&RequestCount=5')).json()) as {
      Tokens: Array<{ Id: string }>;
    };
    const headers = { Authorization: `Bearer ${Tokens[0]!.Id}` };
    assert.equal((await convertWith(headers)).status, 200);
    await sleep(1100);
    await expectError(await convertWith(headers), 401, 4011);
  });

  it('deletes a token; a token cannot manage tokens or read /user', async () => {
    const { Tokens } = (await (await createTokens('RequestCount=5')).json()) as {
      Tokens: Array<{ Id: string }>;
    };
    const id = Tokens[0]!.Id;
    await expectError(await createTokens('', { Authorization: `Bearer ${id}` }), 401, 4011);
    await expectError(await fetch(`${base}/user`, { headers: { Authorization: `Bearer ${id}` } }), 401, 4011);
    assert.equal((await fetch(`${base}/token/${id}`, { method: 'DELETE', headers: bearer })).status, 200);
    await expectError(await convertWith({ Authorization: `Bearer ${id}` }), 401, 4011);
    assert.equal((await fetch(`${base}/token/${id}`, { method: 'DELETE', headers: bearer })).status, 404);
  });
});

describe('authentication errors', () => {
  async function convertWith(headers: Record<string, string>, query = ''): Promise<Response> {
    const { FileId } = await upload('auth.txt', 'auth');
    return fetch(`${base}/convert/txt/to/pdf?File=${FileId}${query}`, { method: 'POST', headers });
  }

  it('4010 for a wrong secret, in the header and in the query', async () => {
    await expectError(await convertWith({ Authorization: `Bearer ${secret}wrong` }), 401, 4010);
    await expectError(await convertWith({}, `&Secret=${secret}wrong`), 401, 4010);
  });

  it('4011 for an unknown token', async () => {
    await expectError(await convertWith({ Authorization: 'Bearer AbCd1234' }), 401, 4011);
    await expectError(await convertWith({}, '&Token=AbCd1234'), 401, 4011);
  });

  it('4013 without credentials', async () => {
    const body = await expectError(await convertWith({}), 401, 4013);
    assert.match(body.Message, /credentials/i);
  });

  it('4014 once the balance is zero; restored balance converts again', async () => {
    sandbox.setConvertApiConversionsLeft(0);
    try {
      await expectError(await convertWith(bearer), 401, 4014);
    } finally {
      sandbox.setConvertApiConversionsLeft(1000);
    }
    assert.equal((await convertWith(bearer)).status, 200);
    const viaControl = await control(sandbox.url, 'POST', '/config', { convertApiConversionsLeft: 0 });
    assert.equal(viaControl.status, 200);
    await expectError(await convertWith(bearer), 401, 4014);
    await control(sandbox.url, 'POST', '/config', { convertApiConversionsLeft: 1000 });
  });

  it('counts conversions on the account only when they succeed', async () => {
    const consumed = async (): Promise<number> =>
      ((await (await fetch(`${base}/user`, { headers: bearer })).json()) as { ConversionsConsumed: number })
        .ConversionsConsumed;
    const before = await consumed();
    await fetch(`${base}/convert/txt/to/pdf?File=missing`, { method: 'POST', headers: bearer });
    assert.equal(await consumed(), before);
    assert.equal((await convertWith(bearer)).status, 200);
    assert.equal(await consumed(), before + 1);
  });
});

describe('JWT (docs/convertapi.md §5 claims, HS256 with the secret)', () => {
  let counter = 0;
  async function jwt(claims: Record<string, unknown> = {}, key = secret): Promise<string> {
    return new SignJWT({
      Id: `jwt${++counter}${Date.now()}`,
      RequestCount: 1,
      ValidUntil: Math.floor(Date.now() / 1000) + 300,
      ApiKey: sandbox.convertapi.apiKey,
      ...claims,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(key));
  }

  async function convertWith(token: string): Promise<Response> {
    const { FileId } = await upload('jwt.txt', 'jwt');
    return fetch(`${base}/convert/txt/to/pdf?File=${FileId}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
  }

  it('accepts a valid JWT, with the ApiKey as a number too and the caller IP bound', async () => {
    assert.equal((await convertWith(await jwt())).status, 200);
    assert.equal((await convertWith(await jwt({ ApiKey: Number(sandbox.convertapi.apiKey) }))).status, 200);
    assert.equal((await convertWith(await jwt({ UserIp: '127.0.0.1' }))).status, 200);
  });

  it('4012 for expiry, a wrong signature, a wrong ApiKey or a wrong UserIp', async () => {
    await expectError(
      await convertWith(await jwt({ ValidUntil: Math.floor(Date.now() / 1000) - 1 })),
      401,
      4012,
    );
    await expectError(await convertWith(await jwt({}, `${secret}-other`)), 401, 4012);
    await expectError(await convertWith(await jwt({ ApiKey: '123456789' })), 401, 4012);
    await expectError(await convertWith(await jwt({ UserIp: '10.9.8.7' })), 401, 4012);
  });

  it('enforces RequestCount per Id and refuses a replay, even re-signed', async () => {
    const token = await jwt({ Id: 'replayid', RequestCount: 2 });
    assert.equal((await convertWith(token)).status, 200);
    assert.equal((await convertWith(token)).status, 200);
    await expectError(await convertWith(token), 401, 4012);
    await expectError(await convertWith(await jwt({ Id: 'replayid', RequestCount: 5 })), 401, 4012);
  });

  it('only successful conversions use the JWT', async () => {
    const token = await jwt({ RequestCount: 1 });
    const failed = await fetch(`${base}/convert/txt/to/pdf?File=missing`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    await expectError(failed, 500, 5009);
    assert.equal((await convertWith(token)).status, 200);
    await expectError(await convertWith(token), 401, 4012);
  });

  it('is accepted only as Bearer: in the Token query parameter it is an unknown token (4011)', async () => {
    const { FileId } = await upload('q.txt', 'q');
    const response = await fetch(`${base}/convert/txt/to/pdf?File=${FileId}&Token=${await jwt()}`, {
      method: 'POST',
    });
    await expectError(response, 401, 4011);
  });
});
