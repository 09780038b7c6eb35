/**
 * ConvertAPI's document routes over HTTP: PDF pages and text, split, merge, any → zip, web pages
 * from the loopback, and `/info` following the engines the sandbox found.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../src/index.js';
import {
  WORD_TEXT,
  imageInfo,
  pageCount,
  pdfText,
  pdfWithPages,
  requireTool,
  wordDocument,
  zipEntries,
} from './helpers/documents.js';

interface ResultFile {
  FileName: string;
  FileExt: string;
  FileData: string;
}

interface ErrorBody {
  Code: number;
  Message: string;
  InvalidParameters?: Record<string, string[]>;
}

interface ConverterInfo {
  Name: string;
  ConverterGroup: string;
}

let sandbox: Sandbox;
let page: Server;
let pageUrl: string;

before(async () => {
  // LibreOffice ignored: these routes run on pdf-lib, poppler, mammoth and fflate, quickly.
  sandbox = await startSandbox({ engines: { libreoffice: false } });
  requireTool(sandbox.engines.pdftoppm, 'poppler-utils (pdftoppm)');
  page = createServer((request, response) => {
    if (request.url === '/away') {
      response.writeHead(302, { Location: 'https://example.com/' }).end();
    } else if (request.url === '/notes.txt') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('Plain notes served on the loopback');
    } else {
      response
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(
          '<html><head><title>Local page</title></head><body><h1>Served locally</h1><p>From a test server.</p></body></html>',
        );
    }
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
});
after(async () => {
  await sandbox.close();
  await new Promise((resolve) => page.close(resolve));
});

/** `POST /convert/{route}` with files (`Files[i]`) and text parameters as multipart; the JSON answer. */
async function convert(
  route: string,
  files: Array<[name: string, data: Buffer]>,
  parameters: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  files.forEach(([name, data], index) => {
    form.append(files.length > 1 ? `Files[${index}]` : 'File', new Blob([new Uint8Array(data)]), name);
  });
  for (const [name, value] of Object.entries(parameters)) form.append(name, value);
  return fetch(`${sandbox.convertapi.base}/convert/${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sandbox.convertapi.secret}` },
    body: form,
  });
}

async function resultFiles(response: Response): Promise<Array<{ name: string; data: Buffer }>> {
  assert.equal(response.status, 200, await response.clone().text());
  const { Files } = (await response.json()) as { Files: ResultFile[] };
  return Files.map((file) => ({ name: file.FileName, data: Buffer.from(file.FileData, 'base64') }));
}

async function errorOf(response: Response, status: number, code: number): Promise<ErrorBody> {
  assert.equal(response.status, status, await response.clone().text());
  const body = (await response.json()) as ErrorBody;
  assert.equal(body.Code, code);
  return body;
}

describe('ConvertAPI: PDF routes', () => {
  it('pdf/to/png answers one file per page, numbered as the service numbers them', async () => {
    const files = await resultFiles(
      await convert('pdf/to/png', [['leaflet.pdf', await pdfWithPages(['A', 'B', 'C'])]]),
    );
    assert.deepEqual(
      files.map((file) => file.name),
      ['leaflet.png', 'leaflet-2.png', 'leaflet-3.png'],
    );
    for (const file of files) assert.equal((await imageInfo(file.data)).format, 'png');
  });

  it('pdf/to/txt extracts the text', async () => {
    const [text] = await resultFiles(
      await convert('pdf/to/txt', [['memo.pdf', await pdfWithPages(['Meeting at noon'])]]),
    );
    assert.equal(text?.name, 'memo.txt');
    assert.ok(text.data.toString('utf8').includes('Meeting at noon'));
  });

  it('pdf/to/split answers one PDF per page; pdf/to/merge one PDF with all the pages', async () => {
    const parts = await resultFiles(
      await convert('pdf/to/split', [['deck.pdf', await pdfWithPages(['one', 'two'])]]),
    );
    assert.deepEqual(
      parts.map((part) => part.name),
      ['deck.pdf', 'deck-2.pdf'],
    );
    const [merged] = await resultFiles(
      await convert('pdf/to/merge', [
        ['cover.pdf', await pdfWithPages(['cover'])],
        ['deck.pdf', await pdfWithPages(['one', 'two'])],
      ]),
    );
    assert.equal(merged?.name, 'cover.pdf');
    assert.equal(await pageCount(merged.data), 3);
  });

  it('any/to/zip archives every file under its name; {format}/to/zip is not a route', async () => {
    const [zip] = await resultFiles(
      await convert('any/to/zip', [
        ['report.docx', await wordDocument()],
        ['notes.txt', Buffer.from('notes')],
      ]),
    );
    assert.equal(zip?.name, 'report.zip');
    assert.deepEqual(zipEntries(zip.data), ['report.docx', 'notes.txt']);
    await errorOf(await convert('docx/to/zip', [['report.docx', await wordDocument()]]), 415, 415);
  });

  it('docx/to/pdf runs without LibreOffice; pptx/to/pdf then answers 415', async () => {
    const [pdf] = await resultFiles(await convert('docx/to/pdf', [['report.docx', await wordDocument()]]));
    assert.ok((await pdfText(pdf!.data)).includes(WORD_TEXT.title));
    const refused = await errorOf(
      await convert('pptx/to/pdf', [['slides.pptx', Buffer.from('x')]]),
      415,
      415,
    );
    assert.equal(refused.Message, 'Conversion from "pptx" to "pdf" is not supported.');
  });

  it('a damaged PDF is 5001 Conversion failed', async () => {
    const failed = await errorOf(
      await convert('pdf/to/merge', [
        ['a.pdf', Buffer.from('%PDF-1.4 broken')],
        ['b.pdf', Buffer.from('x')],
      ]),
      500,
      5001,
    );
    assert.match(failed.Message, /^Conversion failed\./);
  });
});

describe('ConvertAPI: web pages', () => {
  it('web/to/pdf renders a page served on the loopback; url/to/pdf is taken as web', async () => {
    for (const route of ['web/to/pdf', 'url/to/pdf']) {
      const [pdf] = await resultFiles(await convert(route, [], { Url: `${pageUrl}/welcome` }));
      assert.equal(pdf?.name, 'welcome.pdf');
      const text = await pdfText(pdf.data);
      assert.ok(text.includes('Served locally') && text.includes('From a test server.'), text);
    }
    const [notes] = await resultFiles(await convert('web/to/pdf', [], { Url: `${pageUrl}/notes.txt` }));
    assert.equal(notes?.name, 'notes.pdf');
    assert.ok((await pdfText(notes.data)).includes('Plain notes served on the loopback'));
  });

  it('a URL beyond the loopback, even behind a redirect, is refused without fetching it', async () => {
    for (const url of ['https://example.com/page', `${pageUrl}/away`]) {
      const refused = await errorOf(await convert('web/to/pdf', [], { Url: url }), 500, 5007);
      assert.match(
        refused.Message,
        /^Unable to download the file from the URL\. The sandbox fetches URLs on the loopback only/,
      );
    }
  });

  it('Url is required and must be http(s): 4000', async () => {
    const missing = await errorOf(await convert('web/to/pdf', []), 400, 4000);
    assert.deepEqual(missing.InvalidParameters, { Url: ['The Url field is required.'] });
    const wrong = await errorOf(await convert('web/to/pdf', [], { Url: 'file:///etc/passwd' }), 400, 4000);
    assert.ok(wrong.InvalidParameters?.['Url']);
  });
});

describe('ConvertAPI: /info follows the engines', () => {
  async function names(target: Sandbox): Promise<Set<string>> {
    const all = (await (await fetch(`${target.convertapi.base}/info`)).json()) as ConverterInfo[];
    return new Set(all.map((converter) => converter.Name));
  }

  it('lists the Office converters LibreOffice brings only when it is there', async () => {
    const withLibreOffice = await startSandbox();
    try {
      requireTool(withLibreOffice.engines.libreoffice, 'LibreOffice (soffice)');
      const full = await names(withLibreOffice);
      const pure = await names(sandbox);
      for (const name of [
        'DocxToPdf',
        'XlsxToPdf',
        'PdfToPng',
        'PdfToTxt',
        'PdfToMerge',
        'PdfToSplit',
        'AnyToZip',
        'WebToPdf',
      ]) {
        assert.ok(full.has(name) && pure.has(name), name);
      }
      for (const name of ['PptxToPdf', 'DocToPdf', 'OdtToPdf', 'CsvToPdf', 'PptxToPng']) {
        assert.ok(full.has(name), `${name} with LibreOffice`);
        assert.ok(!pure.has(name), `no ${name} without LibreOffice`);
      }
      const canConvert = (target: Sandbox, pair: string) =>
        fetch(`${target.convertapi.base}/info/canconvert/${pair}`);
      assert.equal((await canConvert(withLibreOffice, 'pptx/to/pdf')).status, 200);
      assert.equal((await canConvert(sandbox, 'pptx/to/pdf')).status, 404);
      const merge = (await (
        await fetch(`${sandbox.convertapi.base}/info/converter/PdfToMerge`)
      ).json()) as ConverterInfo;
      assert.equal(merge.ConverterGroup, 'Pdf');
    } finally {
      await withLibreOffice.close();
    }
  });
});
