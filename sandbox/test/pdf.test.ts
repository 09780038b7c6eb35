/**
 * PDF inputs: pages to PNG/JPEG and text with poppler, split and merge with pdf-lib, and ZIP
 * archives with fflate, checked by decoding what comes out.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ConversionFailedError, startConversions, type Conversions } from '../src/conversions/index.js';
import {
  imageInfo,
  pageCount,
  pdfText,
  pdfWithPages,
  requireTool,
  zipEntries,
  zipEntry,
} from './helpers/documents.js';

const PAGES = ['First page of the brochure', 'Second page with prices', 'Third page, the order form'];

describe('PDF input', () => {
  let conversions: Conversions;
  let brochure: Buffer;
  const input = (data: Buffer, name = 'brochure.pdf') => ({ data, name, from: 'pdf' });

  before(async () => {
    conversions = await startConversions({ libreoffice: false });
    brochure = await pdfWithPages(PAGES);
  });

  it('pdf → png: one image per page, in order, at the requested resolution', async () => {
    requireTool(conversions.engines.pdftoppm, 'poppler-utils (pdftoppm)');
    const images = await conversions.convert(input(brochure), 'png', { resolution: 72 });
    assert.deepEqual(
      images.map((image) => image.name),
      ['brochure-1.png', 'brochure-2.png', 'brochure-3.png'],
    );
    for (const image of images) {
      assert.deepEqual(await imageInfo(image.data), { width: 300, height: 200, format: 'png' });
      assert.equal(image.contentType, 'image/png');
    }
  });

  it('pdf → jpg: JPEG pages; a one-page PDF gives one image named after it', async () => {
    const jpgs = await conversions.convert(input(brochure), 'jpeg', { quality: 60 });
    assert.equal(jpgs.length, 3);
    for (const jpg of jpgs) assert.equal((await imageInfo(jpg.data)).format, 'jpeg');
    const single = await conversions.convert(input(await pdfWithPages(['Only page']), 'one.pdf'), 'jpg');
    assert.deepEqual(
      single.map((image) => image.name),
      ['one.jpg'],
    );
  });

  it('pdf → txt: the text of every page', async () => {
    requireTool(conversions.engines.pdftotext, 'poppler-utils (pdftotext)');
    const [text] = await conversions.convert(input(brochure), 'txt');
    assert.equal(text?.name, 'brochure.txt');
    assert.equal(text.contentType, 'text/plain');
    for (const page of PAGES) assert.ok(text.data.toString('utf8').includes(page), page);
  });

  it('split gives one single-page PDF per page; merge gives the sum of the pages', async () => {
    const parts = await conversions.splitPdf(input(brochure));
    assert.equal(parts.length, 3);
    for (const [index, part] of parts.entries()) {
      assert.equal(await pageCount(part.data), 1);
      assert.ok((await pdfText(part.data)).includes(PAGES[index]!));
    }
    const cover = await pdfWithPages(['Cover']);
    const merged = await conversions.mergePdfs(
      [input(cover, 'cover.pdf'), input(brochure), input(parts[0]!.data, parts[0]!.name)],
      'cover',
    );
    assert.equal(merged.name, 'cover.pdf');
    assert.equal(await pageCount(merged.data), 1 + 3 + 1);
    const text = await pdfText(merged.data);
    assert.ok(text.indexOf('Cover') < text.indexOf(PAGES[0]!), 'the pages keep the order of the inputs');
  });

  it('zip lists every input under its name; a repeated name gets a number', async () => {
    const zip = await conversions.zip(
      [
        { data: brochure, name: 'brochure.pdf', from: 'pdf' },
        { data: Buffer.from('notes'), name: 'notes.txt', from: 'txt' },
        { data: Buffer.from('more notes'), name: '../notes.txt', from: 'txt' },
      ],
      'brochure',
    );
    assert.equal(zip.name, 'brochure.zip');
    assert.equal(zip.contentType, 'application/zip');
    assert.deepEqual(zipEntries(zip.data), ['brochure.pdf', 'notes.txt', 'notes-2.txt']);
    assert.deepEqual(zipEntry(zip.data, 'brochure.pdf'), brochure);
  });

  it('a damaged PDF fails as a conversion, whichever engine reads it', async () => {
    const damaged = input(Buffer.from('%PDF-1.7 this is not really a PDF'));
    await assert.rejects(conversions.convert(damaged, 'png'), ConversionFailedError);
    await assert.rejects(conversions.convert(damaged, 'txt'), ConversionFailedError);
    await assert.rejects(conversions.splitPdf(damaged), ConversionFailedError);
    await assert.rejects(conversions.mergePdfs([damaged], 'x'), ConversionFailedError);
  });
});
