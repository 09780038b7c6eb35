/**
 * Office documents made with real writers convert to PDF (and to page images) on both engine paths:
 * LibreOffice when installed, and the pure-JS path (mammoth, exceljs) when it is absent or ignored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConversionFailedError,
  ConversionTimeoutError,
  UnsupportedConversionError,
  createConversions,
  detectEngines,
  startConversions,
  type Conversions,
} from '../src/conversions/index.js';
import {
  BUDGET_ROWS,
  WORD_TEXT,
  budgetWorkbook,
  imageInfo,
  pageCount,
  pdfImageCount,
  pdfText,
  requireTool,
  wordDocument,
} from './helpers/documents.js';

async function only(outputs: Promise<Array<{ data: Buffer; name: string }>>): Promise<Buffer> {
  const list = await outputs;
  assert.equal(list.length, 1);
  return list[0]!.data;
}

function assertWordText(text: string): void {
  for (const part of [
    WORD_TEXT.title,
    WORD_TEXT.paragraph,
    WORD_TEXT.bullet,
    WORD_TEXT.secondPage,
    ...WORD_TEXT.cells,
  ]) {
    assert.ok(text.includes(part), `the PDF's text has "${part}": ${text}`);
  }
}

describe('Office documents without LibreOffice (pure JS)', () => {
  let conversions: Conversions;
  const convert = (data: Buffer, name: string, to = 'pdf') =>
    conversions.convert({ data, name, from: name.split('.').pop() ?? '' }, to);

  it('docx → PDF keeps the text, heading, list, table and picture', async () => {
    conversions = await startConversions({ libreoffice: false });
    const pdf = await only(convert(await wordDocument(), 'report.docx'));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = await pdfText(pdf);
    assertWordText(text);
    assert.match(text, /Region \| North/, 'a table row stays on one line');
    assert.equal(await pdfImageCount(pdf), 1, 'the picture is embedded');
  });

  it('xlsx → PDF lists the sheet and its cells as Excel shows them', async () => {
    const text = await pdfText(await only(convert(await budgetWorkbook(), 'budget.xlsx')));
    assert.ok(text.includes('Budget'), text);
    for (const [item, cost] of BUDGET_ROWS)
      assert.ok(text.includes(`${item} | ${cost}`), `${item} | ${cost} in ${text}`);
  });

  it('docx → PNG gives one image per page, through the PDF', async () => {
    requireTool(conversions.engines.pdftoppm, 'poppler-utils (pdftoppm)');
    const docx = await wordDocument();
    const pages = await pageCount(await only(convert(docx, 'report.docx')));
    assert.equal(pages, 2, "the Word page break starts the PDF's second page");
    const images = await convert(docx, 'report.docx', 'png');
    assert.equal(images.length, pages);
    assert.deepEqual(
      images.map((image) => image.name),
      Array.from({ length: pages }, (_, index) => `report-${index + 1}.png`),
    );
    for (const image of images) assert.equal((await imageInfo(image.data)).format, 'png');
  });

  it('other Office formats answer unsupported; a damaged docx fails as a conversion', async () => {
    for (const name of ['slides.pptx', 'letter.doc', 'sheet.ods', 'table.csv']) {
      await assert.rejects(convert(Buffer.from('x'), name), UnsupportedConversionError, name);
    }
    await assert.rejects(convert(Buffer.from('not a zip'), 'broken.docx'), ConversionFailedError);
    await assert.rejects(convert(Buffer.from('not a zip'), 'broken.xlsx'), ConversionFailedError);
  });
});

describe('Office documents with LibreOffice', () => {
  let conversions: Conversions;

  it('docx → PDF: the text of both pages, as two pages', async () => {
    conversions = await startConversions();
    requireTool(conversions.engines.libreoffice, 'LibreOffice (soffice)');
    const pdf = await only(
      conversions.convert({ data: await wordDocument(), name: 'report.docx', from: 'docx' }, 'pdf'),
    );
    assertWordText(await pdfText(pdf));
    assert.equal(await pageCount(pdf), 2);
    assert.equal(await pdfImageCount(pdf), 1);
  });

  it('xlsx and csv → PDF carry their cells', async () => {
    const xlsx = await only(
      conversions.convert({ data: await budgetWorkbook(), name: 'budget.xlsx', from: 'xlsx' }, 'pdf'),
    );
    const csv = await only(
      conversions.convert(
        { data: Buffer.from('Item,Cost\nPaper,12.5\n"Toner, black",40\n'), name: 'b.csv', from: 'csv' },
        'pdf',
      ),
    );
    for (const text of [await pdfText(xlsx), await pdfText(csv)]) {
      assert.ok(text.includes('Paper') && text.includes('12.5'), text);
    }
    assert.ok((await pdfText(csv)).includes('Toner, black'), 'a quoted comma stays in its cell');
  });

  it('a run past its time limit is stopped and reported as a timeout', async () => {
    const engines = await detectEngines({ timeoutMs: 1 });
    requireTool(engines.libreoffice, 'LibreOffice (soffice)');
    const hurried = createConversions(engines);
    await assert.rejects(
      hurried.convert({ data: await wordDocument(), name: 'report.docx', from: 'docx' }, 'pdf'),
      ConversionTimeoutError,
    );
  });
});
