import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import {
  ConversionFailedError,
  UnsupportedConversionError,
  contentTypeFor,
  formatOfFileName,
  normalizeFormat,
  replaceExtension,
  startConversions,
  type ConversionOutput,
} from '../src/conversions/index.js';
import { encodableText } from '../src/conversions/encodable-text.js';
import { decodeHtmlEntities } from '../src/conversions/html-entities.js';
import { htmlToBlocks } from '../src/conversions/html-text.js';
import { markdownToBlocks } from '../src/conversions/markdown.js';
import { decodeText } from '../src/conversions/text-decoding.js';

const run = promisify(execFile);
// The pure-JS matrix: what every installation has, whatever engines this machine adds
// (engines-office.test.ts and engines-pdf.test.ts cover those).
const { canConvert, conversionPairs, convert, sourceFormats, targetsFor } = await startConversions({
  libreoffice: false,
  poppler: false,
});
const PDFTOPPM = '/usr/bin/pdftoppm';
const PDFTOTEXT = '/usr/bin/pdftotext';
let workDir = '';

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'conversions-test-'));
});
after(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function single(outputs: Promise<ConversionOutput[]>): Promise<ConversionOutput> {
  const list = await outputs;
  assert.equal(list.length, 1);
  return list[0]!;
}

async function pageCount(pdf: Buffer): Promise<number> {
  return (await PDFDocument.load(pdf)).getPageCount();
}

/**
 * Fails, rather than passing on fewer checks, when a poppler tool the checks need is missing
 * (`npm test` installs poppler-utils when it runs as root).
 */
function requireTool(path: string): void {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: install poppler-utils to check what the PDF holds`);
  }
}

/** Renders every page with pdftoppm and returns the number of images. */
async function renderedPages(pdf: Buffer, name: string): Promise<number> {
  requireTool(PDFTOPPM);
  const dir = await mkdtemp(join(workDir, `${name}-`));
  await writeFile(join(dir, 'in.pdf'), pdf);
  await run(PDFTOPPM, ['-r', '20', '-png', join(dir, 'in.pdf'), join(dir, 'page')]);
  return (await readdir(dir)).filter((file) => file.endsWith('.png')).length;
}

/** The PDF's text as poppler extracts it. */
async function extractedText(pdf: Buffer): Promise<string> {
  requireTool(PDFTOTEXT);
  const path = join(workDir, `text-${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(path, pdf);
  return (await run(PDFTOTEXT, ['-layout', path, '-'])).stdout;
}

/** Asserts that the PDF parses, has the page count, and renders every page with pdftoppm. */
async function assertValidPdf(
  pdf: Buffer,
  pages: number | ((count: number) => boolean),
  name: string,
): Promise<void> {
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const count = await pageCount(pdf);
  if (typeof pages === 'number') assert.equal(count, pages);
  else assert.ok(pages(count), `unexpected page count ${count}`);
  assert.equal(await renderedPages(pdf, name), count, 'pdftoppm renders every page');
}

function solidImage(
  width: number,
  height: number,
  color: { r: number; g: number; b: number; alpha?: number },
) {
  return sharp({ create: { width, height, channels: 4, background: { alpha: 1, ...color } } });
}

describe('conversion matrix', () => {
  test('covers text, Markdown and HTML to PDF and PNG/JPG/WebP to each other and to PDF', () => {
    for (const from of ['txt', 'md', 'html', 'png', 'jpg', 'webp'])
      assert.ok(canConvert(from, 'pdf'), `${from} → pdf`);
    for (const from of ['png', 'jpg', 'webp']) {
      for (const to of ['png', 'jpg', 'webp']) assert.ok(canConvert(from, to), `${from} → ${to}`);
    }
    assert.ok(sourceFormats().includes('md'));
    assert.deepEqual(targetsFor('txt'), ['pdf']);
    assert.ok(conversionPairs().some(({ from, to }) => from === 'webp' && to === 'jpg'));
    assert.equal(
      new Set(conversionPairs().map(({ from, to }) => `${from}>${to}`)).size,
      conversionPairs().length,
    );
  });

  test('accepts aliases and any case, and reports canonical formats', () => {
    assert.ok(canConvert('JPEG', 'PNG'));
    assert.ok(canConvert('markdown', 'pdf'));
    assert.ok(canConvert('htm', 'pdf'));
    assert.ok(canConvert('text', 'pdf'));
    assert.ok(canConvert('.png', 'jpeg'));
    assert.deepEqual(targetsFor('jpeg'), targetsFor('jpg'));
    assert.ok(!conversionPairs().some(({ from, to }) => from === 'jpeg' || to === 'jpeg'));
    assert.equal(normalizeFormat(' JPEG '), 'jpg');
    assert.equal(normalizeFormat('tif'), 'tiff');
  });

  test('rejects pairs outside the matrix', async () => {
    assert.equal(canConvert('pdf', 'docx'), false);
    assert.equal(canConvert('txt', 'png'), false);
    assert.equal(canConvert('pptx', 'pdf'), false);
    assert.deepEqual(targetsFor('pptx'), []);
    await assert.rejects(
      convert({ data: Buffer.from('x'), name: 'a.pptx', from: 'pptx' }, 'pdf'),
      (error: unknown) =>
        error instanceof UnsupportedConversionError && error.from === 'pptx' && error.to === 'pdf',
    );
    await assert.rejects(
      convert({ data: Buffer.from('x'), name: 'a.txt', from: 'txt' }, 'jpeg'),
      UnsupportedConversionError,
    );
  });

  test('format helpers name files and content types', () => {
    assert.equal(replaceExtension('report.final.md', 'pdf'), 'report.final.pdf');
    assert.equal(replaceExtension('README', 'pdf'), 'README.pdf');
    assert.equal(replaceExtension('dir/sub\\photo.JPEG', 'webp'), 'photo.webp');
    assert.equal(replaceExtension('.hidden', 'pdf'), '.hidden.pdf');
    assert.equal(formatOfFileName('Photo.JPEG'), 'jpg');
    assert.equal(formatOfFileName('noext'), '');
    assert.equal(contentTypeFor('jpeg'), 'image/jpeg');
    assert.equal(contentTypeFor('unknownthing'), 'application/octet-stream');
  });
});

describe('text to PDF', () => {
  test('a short text file gives one page with its lines', async () => {
    const output = await single(
      convert({ data: Buffer.from('Hello sandbox\nSecond line\n'), name: 'note.txt', from: 'txt' }, 'pdf'),
    );
    assert.equal(output.name, 'note.pdf');
    assert.equal(output.ext, 'pdf');
    assert.equal(output.contentType, 'application/pdf');
    await assertValidPdf(output.data, 1, 'short-text');
    const text = await extractedText(output.data);
    assert.match(text, /Hello sandbox/);
    assert.match(text, /Second line/);
  });

  test('long text paginates and long lines wrap instead of running off the page', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `Line ${i + 1}`);
    lines.push('W'.repeat(400));
    const output = await single(
      convert({ data: Buffer.from(lines.join('\n')), name: 'long.txt', from: 'text' }, 'pdf'),
    );
    await assertValidPdf(output.data, (count) => count >= 3 && count <= 6, 'long-text');
    const pdf = await PDFDocument.load(output.data);
    assert.deepEqual(
      pdf.getPages().map((page) => page.getSize()),
      pdf.getPages().map(() => ({ width: 595.28, height: 841.89 })),
      'A4 by default',
    );
    const text = await extractedText(output.data);
    assert.match(text, /Line 1\b/);
    assert.match(text, /Line 200\b/);
    const longest = Math.max(...text.split('\n').map((line) => /W+/.exec(line)?.[0].length ?? 0));
    assert.ok(longest < 400 && longest > 20, `the long line is wrapped (longest run ${longest})`);
  });

  test('characters outside WinAnsi are replaced, not fatal', async () => {
    const data = Buffer.from(
      'Arrow → here, Hungarian ő, ligature ﬁ, emoji 😀, CJK 日本, tab\tend, euro € ok',
    );
    const output = await single(convert({ data, name: 'unicode.txt', from: 'txt' }, 'pdf'));
    await assertValidPdf(output.data, 1, 'unicode-text');
    const text = await extractedText(output.data);
    assert.match(text, /Arrow -> here/);
    assert.match(text, /Hungarian o,/);
    assert.match(text, /ligature fi/);
    assert.match(text, /euro € ok/);
  });

  test('page size and orientation options are honoured', async () => {
    const output = await single(
      convert({ data: Buffer.from('x'), name: 'a.txt', from: 'txt' }, 'pdf', {
        PageSize: 'letter',
        page_orientation: 'landscape',
      }),
    );
    const [page] = (await PDFDocument.load(output.data)).getPages();
    assert.deepEqual(page!.getSize(), { width: 792, height: 612 });
  });

  test('an empty text file still gives a valid one-page PDF', async () => {
    const output = await single(convert({ data: Buffer.alloc(0), name: 'empty.txt', from: 'txt' }, 'pdf'));
    await assertValidPdf(output.data, 1, 'empty-text');
  });

  test('decodeText reads UTF-8, drops a BOM and falls back to Windows-1252', () => {
    assert.equal(decodeText(Buffer.from('\uFEFFcafé', 'utf8')), 'café');
    assert.equal(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80])), 'café €');
    assert.equal(decodeText(Buffer.from('\uFEFFhi', 'utf16le')), 'hi');
  });

  test('encodableText keeps WinAnsi text and substitutes the rest', async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    assert.equal(encodableText('Zoë – “quoted” … €5', font), 'Zoë – “quoted” … €5');
    assert.equal(encodableText('a → b ≤ c', font), 'a -> b <= c');
    assert.equal(encodableText('Ŝ 字 \u0007x\u200b', font), 'S ? x');
    assert.doesNotThrow(() => font.encodeText(encodableText('𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 🙂', font)));
  });
});

describe('Markdown to PDF', () => {
  const markdown = [
    '# Release notes',
    '',
    'Some **bold**, *italic* and `code` text with a [link](https://example.com) &amp; an entity.',
    '',
    '- first',
    '- second',
    '  1. nested',
    '- [x] done',
    '',
    '> quoted',
    '',
    '```',
    'const answer = 42;',
    '```',
    '',
    '---',
    '',
    '| Name | Value |',
    '|------|-------|',
    '| a    | 1     |',
    '',
    '## Details',
    '',
    ...Array.from(
      { length: 150 },
      (_, i) => `Paragraph ${i + 1} with enough words to be a real paragraph of text.\n`,
    ),
  ].join('\n');

  test('renders headings, inline styles, lists, quotes, code and tables across pages', async () => {
    const output = await single(
      convert({ data: Buffer.from(markdown), name: 'notes.markdown', from: 'markdown' }, 'pdf'),
    );
    assert.equal(output.name, 'notes.pdf');
    await assertValidPdf(output.data, (count) => count >= 2 && count <= 8, 'markdown');
    const pdf = await PDFDocument.load(output.data);
    assert.equal(pdf.getTitle(), 'Release notes');
    const text = await extractedText(output.data);
    assert.match(text, /Release notes/);
    assert.match(text, /Some bold, italic and code text with a link & an entity\./);
    assert.doesNotMatch(text, /\*\*|^#|```/m);
    assert.match(text, /• +first/);
    assert.match(text, /1\. +nested/);
    assert.match(text, /\[x\] +done/);
    assert.match(text, /const answer = 42;/);
    assert.match(text, /Name \| Value/);
    assert.match(text, /Paragraph 150 with/);
    requireTool('/usr/bin/pdffonts');
    const path = join(workDir, 'fonts.pdf');
    await writeFile(path, output.data);
    const fonts = (await run('/usr/bin/pdffonts', [path])).stdout;
    for (const font of ['Helvetica-Bold', 'Helvetica-Oblique', 'Courier'])
      assert.match(fonts, new RegExp(font));
  });

  test('markdownToBlocks gives the document structure', () => {
    const blocks = markdownToBlocks('## Title\n\nText **strong**\n\n1. one\n   - inner\n\n```\ncode\n```\n');
    assert.deepEqual(blocks[0], {
      kind: 'heading',
      level: 2,
      runs: [{ text: 'Title' }],
      indent: 0,
      quote: 0,
    });
    assert.deepEqual(blocks[1], {
      kind: 'paragraph',
      runs: [{ text: 'Text ' }, { text: 'strong', bold: true }],
      indent: 0,
      quote: 0,
    });
    assert.deepEqual(blocks[2], {
      kind: 'paragraph',
      runs: [{ text: 'one' }],
      indent: 1,
      quote: 0,
      marker: '1.',
    });
    assert.deepEqual(blocks[3], {
      kind: 'paragraph',
      runs: [{ text: 'inner' }],
      indent: 2,
      quote: 0,
      marker: '•',
    });
    assert.deepEqual(blocks[4], { kind: 'preformatted', text: 'code', style: 'code', indent: 0, quote: 0 });
  });

  test('Markdown converts to a standalone HTML document', async () => {
    const output = await single(
      convert({ data: Buffer.from('# Hi\n\n**x**'), name: 'a.md', from: 'md' }, 'html'),
    );
    assert.equal(output.name, 'a.html');
    assert.equal(output.contentType, 'text/html');
    const html = output.data.toString('utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>Hi<\/title>/);
    assert.match(html, /<h1>Hi<\/h1>/);
    assert.match(html, /<strong>x<\/strong>/);
  });
});

describe('HTML to PDF', () => {
  const html = `<!DOCTYPE html><html><head><title>Quarterly &amp; report</title>
    <style>p { color: red }</style><script>if (a < b) { document.write("<p>hidden</p>") }</script></head>
    <body><h1>Caf&eacute; &#8364; &#x263A;</h1>
    <p>First   paragraph
       with <b>bold</b>, <em>emphasis</em> and <code>code</code>.<br>After break.</p>
    <!-- a comment with <p>markup</p> -->
    <ul><li>alpha</li><li>beta<ol start="3"><li>gamma</li></ol></li></ul>
    <pre>  keep
    spacing</pre>
    <table><tr><th>H1</th><th>H2</th></tr><tr><td>c1</td><td>c2</td></tr></table>
    <blockquote>Quote text</blockquote><hr><p>Fin &mdash; &hellip; &unknown;</p></body></html>`;

  test('extracts visible text with structure and decoded entities', async () => {
    const output = await single(convert({ data: Buffer.from(html), name: 'page.htm', from: 'htm' }, 'pdf'));
    assert.equal(output.name, 'page.pdf');
    await assertValidPdf(output.data, 1, 'html');
    assert.equal((await PDFDocument.load(output.data)).getTitle(), 'Quarterly & report');
    const text = await extractedText(output.data);
    assert.match(text, /Café € \?/);
    assert.match(text, /First paragraph with bold, emphasis and code\./);
    assert.match(text, /After break\./);
    assert.doesNotMatch(text, /hidden|color: red|markup|Quarterly/);
    assert.match(text, /• +alpha/);
    assert.match(text, /3\. +gamma/);
    assert.match(text, / {2}keep\n {4,}spacing/);
    assert.match(text, /c1 \| c2/);
    assert.match(text, /Fin — … &unknown;/);
  });

  test('htmlToBlocks gives the document structure', () => {
    const blocks = htmlToBlocks('<h2>T</h2><p>a <strong>b</strong></p><ul><li>x</li></ul><hr>');
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 2, runs: [{ text: 'T' }], indent: 0, quote: 0 },
      { kind: 'paragraph', runs: [{ text: 'a ' }, { text: 'b', bold: true }], indent: 0, quote: 0 },
      { kind: 'paragraph', runs: [{ text: 'x' }], indent: 1, quote: 0, marker: '•' },
      { kind: 'rule', indent: 0, quote: 0 },
    ]);
  });

  test('embedded raster pictures become image blocks; page breaks and table cells are kept', () => {
    const pixel = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      'base64',
    );
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
    const blocks = htmlToBlocks(
      `<p>Logo <img alt="the logo" src="data:image/png;base64,${pixel.toString('base64')}"> end</p>` +
        `<p><img alt="vector" src="data:image/svg+xml;base64,${svg}"><img alt="remote" src="https://example.com/a.png"></p>` +
        '<hr class="page-break"><div style="break-before: page">Next</div>' +
        '<table><tr><td><p>Region</p></td><td><p>North</p></td></tr></table>',
    );
    assert.deepEqual(blocks, [
      { kind: 'paragraph', runs: [{ text: 'Logo' }], indent: 0, quote: 0 },
      { kind: 'image', data: pixel, alt: 'the logo', indent: 0, quote: 0 },
      { kind: 'paragraph', runs: [{ text: 'end' }], indent: 0, quote: 0 },
      { kind: 'paragraph', runs: [{ text: 'vectorremote' }], indent: 0, quote: 0 },
      { kind: 'page-break', indent: 0, quote: 0 },
      { kind: 'page-break', indent: 0, quote: 0 },
      { kind: 'paragraph', runs: [{ text: 'Next' }], indent: 0, quote: 0 },
      { kind: 'paragraph', runs: [{ text: 'Region | North' }], indent: 0, quote: 0 },
    ]);
  });

  test('decodeHtmlEntities handles named, decimal, hex and Windows-1252 references', () => {
    assert.equal(
      decodeHtmlEntities('&lt;a&gt; &amp;amp; &#39;&#x41;&#150;&nbsp;&copy &bogus;'),
      "<a> &amp; 'A–\u00a0© &bogus;",
    );
  });
});

describe('images', () => {
  let png: Buffer;
  let transparentPng: Buffer;
  let jpg: Buffer;

  before(async () => {
    png = await solidImage(320, 200, { r: 200, g: 30, b: 30 }).png().toBuffer();
    transparentPng = await solidImage(40, 30, { r: 0, g: 0, b: 0, alpha: 0 }).png().toBuffer();
    jpg = await solidImage(120, 80, { r: 20, g: 40, b: 220 }).jpeg().toBuffer();
  });

  for (const [to, format] of [
    ['jpg', 'jpeg'],
    ['jpeg', 'jpeg'],
    ['webp', 'webp'],
    ['png', 'png'],
    ['gif', 'gif'],
    ['tiff', 'tiff'],
  ] as const) {
    test(`png → ${to} decodes as ${format} with the same dimensions`, async () => {
      const output = await single(convert({ data: png, name: 'photo.png', from: 'png' }, to));
      const expectedExt = to === 'jpeg' ? 'jpg' : to;
      assert.equal(output.ext, expectedExt);
      assert.equal(output.name, `photo.${expectedExt}`);
      const metadata = await sharp(output.data).metadata();
      assert.equal(metadata.format, format);
      assert.equal(metadata.width, 320);
      assert.equal(metadata.height, 200);
    });
  }

  test('jpeg and webp inputs convert to png', async () => {
    const fromJpg = await single(convert({ data: jpg, name: 'a.jpeg', from: 'jpeg' }, 'png'));
    assert.equal(fromJpg.name, 'a.png');
    assert.equal(fromJpg.contentType, 'image/png');
    const webp = await sharp(png).webp().toBuffer();
    const fromWebp = await single(convert({ data: webp, name: 'b.webp', from: 'webp' }, 'jpg'));
    const metadata = await sharp(fromWebp.data).metadata();
    assert.deepEqual([metadata.format, metadata.width, metadata.height], ['jpeg', 320, 200]);
  });

  test('width/height resize within the box and quality changes the encoding', async () => {
    const resized = await single(convert({ data: png, name: 'a.png', from: 'png' }, 'webp', { width: 160 }));
    const metadata = await sharp(resized.data).metadata();
    assert.deepEqual([metadata.width, metadata.height], [160, 100]);
    const boxed = await single(
      convert({ data: png, name: 'a.png', from: 'png' }, 'png', { ImageWidth: '100', ImageHeight: '100' }),
    );
    const boxedMeta = await sharp(boxed.data).metadata();
    assert.deepEqual([boxedMeta.width, boxedMeta.height], [100, 63]);

    const noisy = await sharp(Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 256)), {
      raw: { width: 64, height: 64, channels: 3 },
    })
      .png()
      .toBuffer();
    const low = await single(convert({ data: noisy, name: 'n.png', from: 'png' }, 'jpg', { quality: 10 }));
    const high = await single(convert({ data: noisy, name: 'n.png', from: 'png' }, 'jpg', { quality: 95 }));
    assert.ok(
      low.data.length < high.data.length,
      `quality 10 (${low.data.length}) < quality 95 (${high.data.length})`,
    );
  });

  test('transparency is flattened onto white for JPEG', async () => {
    const output = await single(convert({ data: transparentPng, name: 't.png', from: 'png' }, 'jpg'));
    const { data } = await sharp(output.data).raw().toBuffer({ resolveWithObject: true });
    assert.ok(
      data[0]! > 245 && data[1]! > 245 && data[2]! > 245,
      `pixel is white, got ${data.subarray(0, 3).join(',')}`,
    );
  });

  test('an image becomes a one-page PDF the size of the image', async () => {
    const output = await single(convert({ data: png, name: 'photo.png', from: 'png' }, 'pdf'));
    assert.equal(output.name, 'photo.pdf');
    await assertValidPdf(output.data, 1, 'png-pdf');
    const [page] = (await PDFDocument.load(output.data)).getPages();
    assert.deepEqual(page!.getSize(), { width: 320, height: 200 });
    requireTool(PDFTOPPM);
    const path = join(workDir, 'photo.pdf');
    await writeFile(path, output.data);
    await run(PDFTOPPM, ['-r', '72', '-png', '-singlefile', path, join(workDir, 'photo-render')]);
    const rendered = await sharp(join(workDir, 'photo-render.png'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([rendered.info.width, rendered.info.height], [320, 200]);
    const center = (100 * 320 + 160) * 3;
    const [r, g, b] = rendered.data.subarray(center, center + 3);
    assert.ok(r! > 180 && g! < 60 && b! < 60, `the page shows the red image, got ${[r, g, b].join(',')}`);
  });

  test('JPEG and WebP images embed in PDFs; page_size fits the image on paper', async () => {
    const fromJpg = await single(convert({ data: jpg, name: 'a.jpg', from: 'jpg' }, 'pdf'));
    await assertValidPdf(fromJpg.data, 1, 'jpg-pdf');
    const webp = await sharp(png).webp().toBuffer();
    const onPaper = await single(
      convert({ data: webp, name: 'b.webp', from: 'webp' }, 'pdf', { page_size: 'A4' }),
    );
    await assertValidPdf(onPaper.data, 1, 'webp-pdf');
    const [page] = (await PDFDocument.load(onPaper.data)).getPages();
    const size = page!.getSize();
    assert.deepEqual(
      [Math.round(size.width), Math.round(size.height)],
      [842, 595],
      'landscape A4 for a wide image',
    );
  });

  test('damaged or mislabelled input gives ConversionFailedError', async () => {
    const truncated = png.subarray(0, Math.floor(png.length / 2));
    await assert.rejects(
      convert({ data: truncated, name: 'bad.png', from: 'png' }, 'jpg'),
      ConversionFailedError,
    );
    await assert.rejects(
      convert({ data: Buffer.from('definitely not an image'), name: 'bad.jpg', from: 'jpg' }, 'webp'),
      ConversionFailedError,
    );
    await assert.rejects(
      convert({ data: Buffer.from('not an image'), name: 'bad.png', from: 'png' }, 'pdf'),
      ConversionFailedError,
    );
    const noisyJpg = await sharp(
      Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, i) => (i * 7919) % 256)),
      {
        raw: { width: 200, height: 200, channels: 3 },
      },
    )
      .jpeg()
      .toBuffer();
    const cutJpg = noisyJpg.subarray(0, Math.floor(noisyJpg.length * 0.6));
    await assert.rejects(
      convert({ data: cutJpg, name: 'cut.jpg', from: 'jpg' }, 'pdf'),
      ConversionFailedError,
    );
    await assert.rejects(
      convert({ data: cutJpg, name: 'cut.jpg', from: 'jpg' }, 'png'),
      ConversionFailedError,
    );
  });
});
