/**
 * The official ConvertAPI Node SDK (npm `convertapi`), unchanged apart from its `baseUri`,
 * against the sandbox: what it sends and parses is what the real service answers.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ConvertAPI } from 'convertapi';
import { SignJWT } from 'jose';
import sharp from 'sharp';
import { startSandbox } from '../src/index.js';
import type { Sandbox } from '../src/index.js';
import {
  WORD_TEXT,
  pageCount,
  pdfText,
  pdfWithPages,
  wordDocument,
  zipEntries,
} from './helpers/documents.js';

/** What the SDK's `ClientError` carries: the service's error body in `data`. */
interface SdkError extends Error {
  data?: { Code?: number; Message?: string; InvalidParameters?: Record<string, string[]> };
  response?: { status?: number };
}

let sandbox: Sandbox;
let workDir: string;
let api: ConvertAPI;

function sdk(credential: string): ConvertAPI {
  return new ConvertAPI(credential, { baseUri: `${sandbox.convertapi.base}/` });
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail('the SDK call should have failed');
}

before(async () => {
  sandbox = await startSandbox();
  workDir = await mkdtemp(join(tmpdir(), 'convertapi-sdk-'));
  api = sdk(sandbox.convertapi.secret);
});
after(async () => {
  await sandbox.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('official convertapi SDK against the sandbox', () => {
  it('converts a .txt file path to PDF: upload, convert, download', async () => {
    const source = join(workDir, 'letter.txt');
    await writeFile(source, 'Dear reader,\nthis came through the official SDK.\n');
    const result = await api.convert('pdf', { File: source });
    assert.equal(result.conversionCost, 1);
    assert.equal(result.file.fileName, 'letter.pdf');
    const [saved] = await result.saveFiles(workDir);
    const pdf = await readFile(saved);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(pdf.length, result.file.fileSize);
    const kinds = sandbox
      .requests()
      .map((entry) => `${entry.method} ${entry.path.split('/').slice(0, 3).join('/')}`);
    assert.deepEqual(kinds.slice(-3), [
      'POST /upload',
      'POST /convert/txt',
      `GET /d/${result.file.url.split('/').at(-2) ?? ''}`,
    ]);
  });

  it('uploads from a stream (a file stream and an in-memory Buffer) and converts the upload', async () => {
    const source = join(workDir, 'streamed.md');
    await writeFile(source, '# Streamed\n\nfrom a read stream');
    const fromFile = await api.upload(createReadStream(source), 'streamed.md');
    assert.equal(fromFile.fileExt, 'md');
    const fromBuffer = await api.upload(Readable.from([Buffer.from('in memory')]), 'buffer.txt');
    assert.match(fromBuffer.toString(), /^[a-z0-9]{32}$/);

    const mdResult = await api.convert('pdf', { File: fromFile });
    assert.equal(mdResult.file.fileName, 'streamed.pdf');
    const txtResult = await api.convert('pdf', { File: fromBuffer });
    const saved = await txtResult.file.save(join(workDir, 'buffer.pdf'));
    assert.equal((await readFile(saved)).subarray(0, 5).toString('latin1'), '%PDF-');
  });

  it('chains a result into the next conversion and converts several files at once', async () => {
    const image = join(workDir, 'dot.png');
    await writeFile(
      image,
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c00' } })
        .png()
        .toBuffer(),
    );
    const jpg = await api.convert('jpg', { File: image });
    // The SDK passes the earlier result's Url and derives `from` from its extension.
    const webp = await api.convert('webp', { File: jpg });
    assert.equal(webp.file.fileName, 'dot.webp');
    const [webpPath] = await webp.saveFiles(workDir);
    assert.equal((await sharp(await readFile(webpPath)).metadata()).format, 'webp');

    const second = join(workDir, 'dot2.png');
    await writeFile(second, await readFile(image));
    const many = await api.convert('jpg', { Files: [image, second] });
    assert.deepEqual(
      many.files.map((file) => file.fileName),
      ['dot.jpg', 'dot2.jpg'],
    );
  });

  it('sends a conversion timeout the service accepts, and reports one it refuses', async () => {
    const source = join(workDir, 'timed.txt');
    await writeFile(source, 'timed');
    const result = await api.convert('pdf', { File: source }, 'txt', 30);
    assert.equal(result.file.fileName, 'timed.pdf');
    const error = await sdkError(api.convert('pdf', { File: source }, 'txt', 5));
    assert.equal(error.data?.Code, 4000);
    assert.ok(error.data.InvalidParameters?.['Timeout']);
    assert.match(error.message, /Code: 4000/);
  });

  it("converts a Word file with convert('pdf', { File: 'x.docx' })", async () => {
    const source = join(workDir, 'report.docx');
    await writeFile(source, await wordDocument());
    const result = await api.convert('pdf', { File: source });
    assert.equal(result.file.fileName, 'report.pdf');
    const [saved] = await result.saveFiles(await mkdtemp(join(workDir, 'word-')));
    const text = await pdfText(await readFile(saved));
    for (const part of [WORD_TEXT.title, WORD_TEXT.paragraph, WORD_TEXT.secondPage])
      assert.ok(text.includes(part), part);
  });

  it('splits a PDF and merges pages back, as the SDK example does', async () => {
    const source = join(workDir, 'booklet.pdf');
    await writeFile(source, await pdfWithPages(['first', 'middle', 'last']));
    const split = await api.convert('split', { File: source });
    assert.equal(split.files.length, 3);
    const [firstPage] = split.files;
    const lastPage = split.files.at(-1);
    assert.ok(lastPage);
    const merged = await api.convert('merge', { Files: [firstPage, lastPage] }, 'pdf');
    // Results are saved apart from the sources: they carry the sources' names.
    const [saved] = await merged.saveFiles(await mkdtemp(join(workDir, 'merged-')));
    const pdf = await readFile(saved);
    assert.equal(await pageCount(pdf), 2);
    assert.match(await pdfText(pdf), /first.*last/);

    const cover = join(workDir, 'cover.pdf');
    await writeFile(cover, await pdfWithPages(['cover']));
    const both = await api.convert('merge', { Files: [cover, source] }, 'pdf');
    assert.equal(both.file.fileName, 'cover.pdf');
    const [bothSaved] = await both.saveFiles(await mkdtemp(join(workDir, 'both-')));
    assert.equal(await pageCount(await readFile(bothSaved)), 4);
  });

  it("zips files with convert('zip', { Files }), which the SDK sends to any/to/zip", async () => {
    const docx = join(workDir, 'test.docx');
    await writeFile(docx, await wordDocument());
    const notes = join(workDir, 'notes.txt');
    await writeFile(notes, 'notes');
    const result = await api.convert('zip', { Files: [docx, notes] });
    assert.equal(result.file.fileName, 'test.zip');
    assert.ok(
      sandbox
        .requests()
        .some((entry) => entry.method === 'POST' && entry.path.startsWith('/convert/any/to/zip')),
    );
    const zipPath = join(workDir, 'archive.zip');
    await result.file.save(zipPath);
    assert.deepEqual(zipEntries(await readFile(zipPath)), ['test.docx', 'notes.txt']);
  });

  it('reads the user info', async () => {
    const user = (await api.getUser()) as Record<string, unknown>;
    assert.equal(user['Active'], true);
    assert.equal(String(user['ApiKey']), sandbox.convertapi.apiKey);
    assert.ok((user['ConversionsConsumed'] as number) >= 1);
  });

  it('reports a bad secret as 4010', async () => {
    const error = await sdkError(sdk(`${sandbox.convertapi.secret}-wrong`).getUser());
    assert.equal(error.response?.status, 401);
    assert.equal(error.data?.Code, 4010);
    const source = join(workDir, 'refused.txt');
    await writeFile(source, 'refused');
    const convertError = await sdkError(sdk('not-the-secret-at-all').convert('pdf', { File: source }));
    assert.equal(convertError.data?.Code, 4010);
  });

  it('works with a token and reports it used up as 4011', async () => {
    const { Tokens } = (await api.client.post('token/create', { RequestCount: 1, Lifetime: 600 })) as {
      Tokens: Array<{ Id: string }>;
    };
    const withToken = sdk(Tokens[0]!.Id);
    const source = join(workDir, 'token.txt');
    await writeFile(source, 'token');
    assert.equal((await withToken.convert('pdf', { File: source })).file.fileName, 'token.pdf');
    const error = await sdkError(withToken.convert('pdf', { File: source }));
    assert.equal(error.data?.Code, 4011);
  });

  it('works with a JWT and reports an expired one as 4012', async () => {
    const sign = (validUntil: number): Promise<string> =>
      new SignJWT({
        Id: `sdk${validUntil}`,
        RequestCount: 1,
        ValidUntil: validUntil,
        ApiKey: sandbox.convertapi.apiKey,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(sandbox.convertapi.secret));
    const source = join(workDir, 'jwt.txt');
    await writeFile(source, 'jwt');
    const now = Math.floor(Date.now() / 1000);
    const valid = await sdk(await sign(now + 120)).convert('pdf', { File: source });
    assert.equal(valid.file.fileName, 'jwt.pdf');
    const error = await sdkError(sdk(await sign(now - 60)).convert('pdf', { File: source }));
    assert.equal(error.data?.Code, 4012);
  });
});
