/**
 * Engine detection and the matrix each set of engines gives: what the sandbox lists is what it can
 * do, with LibreOffice and poppler present (as CI installs them) and with them ignored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectEngines, startConversions, type Conversions } from '../src/conversions/index.js';
import { requireTool } from './helpers/documents.js';

const OFFICE = ['docx', 'doc', 'odt', 'rtf', 'xlsx', 'xls', 'ods', 'csv', 'pptx', 'ppt', 'odp'];

function pairs(conversions: Conversions): Map<string, string> {
  return new Map(conversions.conversionPairs().map(({ from, to, engine }) => [`${from}>${to}`, engine]));
}

describe('engine detection', () => {
  it('finds LibreOffice and poppler on PATH', async () => {
    const engines = await detectEngines();
    requireTool(engines.libreoffice, 'LibreOffice (soffice)');
    requireTool(engines.pdftoppm, 'poppler-utils (pdftoppm)');
    requireTool(engines.pdftotext, 'poppler-utils (pdftotext)');
    assert.deepEqual(engines.javascript, ['sharp', 'pdf-lib', 'marked', 'mammoth', 'exceljs', 'fflate']);
  });

  it('ignores an engine set to false, and takes an explicit path or directory', async () => {
    const none = await detectEngines({ libreoffice: false, poppler: false });
    assert.equal(none.libreoffice, null);
    assert.equal(none.pdftoppm, null);
    assert.equal(none.pdftotext, null);
    const found = await detectEngines();
    const soffice = requireTool(found.libreoffice, 'LibreOffice (soffice)');
    const explicit = await detectEngines({ libreoffice: soffice, poppler: '/usr/bin' });
    assert.equal(explicit.libreoffice, soffice);
    assert.equal(explicit.pdftoppm, '/usr/bin/pdftoppm');
    const missing = await detectEngines({ libreoffice: '/nonexistent/soffice', poppler: '/nonexistent' });
    assert.equal(missing.libreoffice, null);
    assert.equal(missing.pdftotext, null);
  });
});

describe('the matrix follows the engines', () => {
  it('with LibreOffice and poppler: every Office format to PDF and to page images, PDF pages and text', async () => {
    const conversions = await startConversions();
    requireTool(conversions.engines.libreoffice, 'LibreOffice (soffice)');
    const matrix = pairs(conversions);
    for (const from of OFFICE) {
      assert.equal(matrix.get(`${from}>pdf`), 'libreoffice', `${from} → pdf`);
      assert.equal(matrix.get(`${from}>png`), 'libreoffice + poppler (pdftoppm)', `${from} → png`);
      assert.ok(matrix.has(`${from}>jpg`), `${from} → jpg`);
    }
    assert.equal(matrix.get('pdf>png'), 'poppler (pdftoppm)');
    assert.equal(matrix.get('pdf>jpg'), 'poppler (pdftoppm)');
    assert.equal(matrix.get('pdf>txt'), 'poppler (pdftotext)');
    assert.equal(matrix.get('txt>pdf'), 'pdf-lib');
    assert.equal(matrix.has('pdf>docx'), false);
  });

  it('without LibreOffice: docx and xlsx to PDF in pure JS, the other Office formats unsupported', async () => {
    const conversions = await startConversions({ libreoffice: false });
    requireTool(conversions.engines.pdftoppm, 'poppler-utils (pdftoppm)');
    const matrix = pairs(conversions);
    assert.equal(matrix.get('docx>pdf'), 'mammoth + pdf-lib');
    assert.equal(matrix.get('xlsx>pdf'), 'exceljs + pdf-lib');
    assert.equal(matrix.get('docx>png'), 'mammoth + pdf-lib + poppler (pdftoppm)');
    for (const from of OFFICE.filter((format) => format !== 'docx' && format !== 'xlsx')) {
      assert.deepEqual(conversions.targetsFor(from), [], `${from} has no targets`);
    }
  });

  it('with no external engine at all: no PDF pages or text, but split, merge and zip still work', async () => {
    const conversions = await startConversions({ libreoffice: false, poppler: false });
    const matrix = pairs(conversions);
    assert.equal(matrix.has('pdf>png'), false);
    assert.equal(matrix.has('pdf>txt'), false);
    assert.equal(matrix.has('docx>png'), false);
    assert.ok(matrix.has('docx>pdf') && matrix.has('xlsx>pdf') && matrix.has('md>html'));
    assert.deepEqual(conversions.engines, {
      libreoffice: null,
      pdftoppm: null,
      pdftotext: null,
      javascript: ['sharp', 'pdf-lib', 'marked', 'mammoth', 'exceljs', 'fflate'],
    });
  });
});
