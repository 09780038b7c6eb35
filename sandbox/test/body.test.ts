import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import {
  BodyError,
  contentDispositionFilename,
  parseMultipart,
  readBuffer,
  readJson,
  readText,
  readUrlEncoded,
} from '../src/body.js';
import { FileStore } from '../src/file-store.js';

const store = new FileStore();
after(() => store.close());

function isBodyError(kind: BodyError['kind']) {
  return (error: unknown): boolean => error instanceof BodyError && error.kind === kind;
}

/** A real multipart body and its headers, as `fetch` would send the form. */
async function multipartBody(form: FormData): Promise<{ headers: Record<string, string>; stream: Readable }> {
  const response = new Response(form);
  const body = Buffer.from(await response.arrayBuffer());
  return {
    headers: { 'content-type': response.headers.get('content-type')! },
    stream: Readable.from([body]),
  };
}

describe('readBuffer / readText / readJson / readUrlEncoded', () => {
  test('reads a chunked body whole', async () => {
    const body = await readBuffer(Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
    assert.equal(body.toString(), 'abcd');
  });

  test('a body past maxBytes gives too-large and the stream is drained, not destroyed', async () => {
    const source = Readable.from([Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10)], {
      autoDestroy: false,
    });
    await assert.rejects(readBuffer(source, 15), isBodyError('too-large'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(source.readableEnded, true);
    assert.equal(source.destroyed, false);
  });

  test('a body exactly at maxBytes is accepted', async () => {
    assert.equal((await readBuffer(Readable.from([Buffer.alloc(15)]), 15)).length, 15);
  });

  test('a failing stream gives aborted', async () => {
    const source = new Readable({ read() {} });
    const pending = readBuffer(source);
    source.push('partial');
    setImmediate(() => source.destroy(new Error('reset')));
    await assert.rejects(pending, isBodyError('aborted'));
  });

  test('a stream closed before its end gives aborted', async () => {
    const source = new Readable({ read() {} });
    const pending = readBuffer(source);
    setImmediate(() => source.destroy());
    await assert.rejects(pending, isBodyError('aborted'));
  });

  test('readText decodes UTF-8 split across chunks and drops a BOM', async () => {
    const bytes = Buffer.from('\uFEFFnaïve ✓', 'utf8');
    const text = await readText(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    assert.equal(text, 'naïve ✓');
  });

  test('readJson parses JSON and rejects malformed or empty bodies with bad-json', async () => {
    assert.deepEqual(await readJson(Readable.from([Buffer.from('{"a":[1,2]}')])), { a: [1, 2] });
    await assert.rejects(readJson(Readable.from([Buffer.from('{"a":')])), isBodyError('bad-json'));
    await assert.rejects(readJson(Readable.from([Buffer.from('  ')])), isBodyError('bad-json'));
    await assert.rejects(readJson(Readable.from([Buffer.from('{"a":1}')]), 3), isBodyError('too-large'));
  });

  test('readUrlEncoded decodes form fields', async () => {
    const params = await readUrlEncoded(Readable.from([Buffer.from('File=abc&StoreFile=true&name=a+b%26c')]));
    assert.equal(params.get('File'), 'abc');
    assert.equal(params.get('StoreFile'), 'true');
    assert.equal(params.get('name'), 'a b&c');
  });

  test('works on a real request, and a too-large request can still be answered', async () => {
    const server = createServer((req: IncomingMessage, res) => {
      readBuffer(req, 1000).then(
        (body) => res.writeHead(200).end(String(body.length)),
        (error: unknown) => {
          const kind = error instanceof BodyError ? error.kind : 'unknown';
          res.writeHead(kind === 'too-large' ? 413 : 400).end(kind);
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (size: number): Promise<{ status: number; text: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text });
          });
        });
        req.on('error', reject);
        req.end(Buffer.alloc(size));
      });
    try {
      assert.deepEqual(await send(500), { status: 200, text: '500' });
      assert.deepEqual(await send(200_000), { status: 413, text: 'too-large' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('parseMultipart', () => {
  test('stores file parts and keeps fields and parts in arrival order', async () => {
    const form = new FormData();
    form.append('key', 'uploads/abc');
    form.append('acl', 'private');
    form.append('file', new Blob(['hello world'], { type: 'text/plain' }), 'hello.txt');
    form.append('after', 'late');
    const { headers, stream } = await multipartBody(form);
    const result = await parseMultipart(headers, stream, store);

    assert.deepEqual(result.fields, [
      { name: 'key', value: 'uploads/abc' },
      { name: 'acl', value: 'private' },
      { name: 'after', value: 'late' },
    ]);
    assert.deepEqual(result.order, [
      { kind: 'field', name: 'key' },
      { kind: 'field', name: 'acl' },
      { kind: 'file', name: 'file' },
      { kind: 'field', name: 'after' },
    ]);
    assert.equal(result.files.length, 1);
    const [upload] = result.files;
    assert.equal(upload!.field, 'file');
    assert.equal(upload!.mimeType, 'text/plain');
    assert.equal(upload!.file.name, 'hello.txt');
    assert.equal(upload!.file.size, 11);
    assert.equal((await store.read(upload!.file.id)).toString(), 'hello world');
  });

  test('keeps several files, binary content and UTF-8 file names', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const form = new FormData();
    form.append('Files[0]', new Blob([bytes]), 'résumé.bin');
    form.append('Files[1]', new Blob(['second']), 'b.txt');
    const { headers, stream } = await multipartBody(form);
    const result = await parseMultipart(headers, stream, store);
    assert.deepEqual(
      result.files.map(({ field, file }) => [field, file.name]),
      [
        ['Files[0]', 'résumé.bin'],
        ['Files[1]', 'b.txt'],
      ],
    );
    assert.deepEqual([...(await store.read(result.files[0]!.file.id))], [...bytes]);
  });

  test('a file past maxFileBytes gives too-large and nothing stays stored', async () => {
    const local = new FileStore();
    try {
      const form = new FormData();
      form.append('small', new Blob(['ok']), 'small.txt');
      form.append('big', new Blob([new Uint8Array(5000)]), 'big.bin');
      const { headers, stream } = await multipartBody(form);
      await assert.rejects(
        parseMultipart(headers, stream, local, { maxFileBytes: 1000 }),
        isBodyError('too-large'),
      );
      assert.equal(local.list().length, 0);
      assert.deepEqual(await readdir(local.dir), []);
    } finally {
      await local.close();
    }
  });

  test('a field past maxFieldBytes gives too-large', async () => {
    const form = new FormData();
    form.append('policy', 'x'.repeat(2000));
    const { headers, stream } = await multipartBody(form);
    await assert.rejects(
      parseMultipart(headers, stream, store, { maxFieldBytes: 100 }),
      isBodyError('too-large'),
    );
  });

  test('a non-multipart content type gives bad-multipart', async () => {
    await assert.rejects(
      parseMultipart({ 'content-type': 'application/json' }, Readable.from([Buffer.from('{}')]), store),
      isBodyError('bad-multipart'),
    );
    await assert.rejects(
      parseMultipart({}, Readable.from([Buffer.from('{}')]), store),
      isBodyError('bad-multipart'),
    );
  });

  test('a truncated body gives bad-multipart and removes the stored parts', async () => {
    const local = new FileStore();
    try {
      const form = new FormData();
      form.append('file', new Blob(['x'.repeat(1000)]), 'a.txt');
      const response = new Response(form);
      const body = Buffer.from(await response.arrayBuffer());
      const headers = { 'content-type': response.headers.get('content-type')! };
      await assert.rejects(
        parseMultipart(headers, Readable.from([body.subarray(0, body.length - 60)]), local),
        isBodyError('bad-multipart'),
      );
      assert.equal(local.list().length, 0);
    } finally {
      await local.close();
    }
  });

  test('a stream that fails mid-body gives aborted', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x'.repeat(1000)]), 'a.txt');
    const response = new Response(form);
    const body = Buffer.from(await response.arrayBuffer());
    const source = new Readable({ read() {} });
    const pending = parseMultipart({ 'content-type': response.headers.get('content-type')! }, source, store);
    source.push(body.subarray(0, 300));
    setImmediate(() => source.destroy(new Error('reset')));
    await assert.rejects(pending, isBodyError('aborted'));
  });
});

describe('parseMultipart over HTTP', () => {
  test('a real upload is stored, and an oversize one is answered 413 without leftovers', async () => {
    const local = new FileStore();
    const server = createServer((req, res) => {
      parseMultipart(req.headers, req, local, { maxFileBytes: 10_000 }).then(
        (form) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(form));
        },
        (error: unknown) => {
          const kind = error instanceof BodyError ? error.kind : 'unknown';
          res.writeHead(kind === 'too-large' ? 413 : 400).end(kind);
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const small = new FormData();
      small.append('note', 'hi');
      small.append('file', new Blob([new Uint8Array(5000).fill(7)]), 'small.bin');
      const ok = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: small });
      assert.equal(ok.status, 200);
      const form = (await ok.json()) as { files: Array<{ file: { id: string; size: number } }> };
      const [upload] = form.files;
      assert.ok(upload);
      assert.equal(upload.file.size, 5000);
      assert.deepEqual(await local.read(upload.file.id), Buffer.alloc(5000, 7));

      const big = new FormData();
      big.append('file', new Blob([new Uint8Array(500_000)]), 'big.bin');
      const tooLarge = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: big });
      assert.equal(tooLarge.status, 413);
      assert.equal(await tooLarge.text(), 'too-large');
      assert.equal(local.list().length, 1, 'only the first upload stays');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await local.close();
    }
  });
});

describe('contentDispositionFilename', () => {
  test('reads quoted, unquoted and escaped filenames', () => {
    assert.equal(contentDispositionFilename('attachment; filename="report.docx"'), 'report.docx');
    assert.equal(contentDispositionFilename('inline; filename=page.html'), 'page.html');
    assert.equal(contentDispositionFilename('attachment; filename="say \\"hi\\".txt"'), 'say "hi".txt');
    assert.equal(contentDispositionFilename('attachment; filename="a; b.txt"; size=3'), 'a; b.txt');
    assert.equal(contentDispositionFilename('attachment; FileName="upper.txt"'), 'upper.txt');
  });

  test('prefers RFC 5987 filename* and decodes it', () => {
    assert.equal(
      contentDispositionFilename(
        `attachment; filename="fallback.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt`,
      ),
      '€ rates.txt',
    );
    assert.equal(contentDispositionFilename(`attachment; filename*=utf-8'en'na%C3%AFve.pdf`), 'naïve.pdf');
    assert.equal(contentDispositionFilename(`attachment; filename*=ISO-8859-1''caf%E9.txt`), 'café.txt');
  });

  test('restores raw UTF-8 names that Node decoded as Latin-1', () => {
    const header = Buffer.from('attachment; filename="résumé.pdf"', 'utf8').toString('latin1');
    assert.equal(contentDispositionFilename(header), 'résumé.pdf');
  });

  test('drops directory parts and rejects missing names', () => {
    assert.equal(contentDispositionFilename('attachment; filename="C:\\fakepath\\a.txt"'), 'a.txt');
    assert.equal(contentDispositionFilename('attachment; filename="../../etc/passwd"'), 'passwd');
    assert.equal(contentDispositionFilename('attachment'), undefined);
    assert.equal(contentDispositionFilename('attachment; filename=""'), undefined);
    assert.equal(contentDispositionFilename(undefined), undefined);
  });
});
