/**
 * Real documents for the tests, written with well-kept writers (the `docx` package, exceljs, pdf-lib,
 * sharp), and the poppler tools that read PDFs back. A test that needs an external tool the machine
 * lacks fails with one line naming it: CI installs poppler-utils and LibreOffice (.ci/run).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  type IRunOptions,
} from 'docx';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

const run = promisify(execFile);

/** The text the Word document carries, page by page. */
export const WORD_TEXT = {
  title: 'Quarterly report',
  paragraph: 'Revenue rose by twelve percent',
  bullet: 'Shipping costs fell',
  cells: ['Region', 'North', 'Sales', '1200'],
  secondPage: 'Appendix on the second page',
};

/** The cells of the Excel workbook's one sheet, "Budget". */
export const BUDGET_ROWS: Array<[string, string | number]> = [
  ['Item', 'Cost'],
  ['Paper', 12.5],
  ['Toner cartridges', 40],
];

/** A small blue PNG, the picture inside the Word document. */
export async function bluePng(): Promise<Buffer> {
  return sharp({ create: { width: 160, height: 80, channels: 3, background: '#2255cc' } })
    .png()
    .toBuffer();
}

/** A two-page .docx: heading, bold run, bulleted list, table, picture, page break, second page. */
export async function wordDocument(): Promise<Buffer> {
  const cell = (text: string): TableCell => new TableCell({ children: [new Paragraph(text)] });
  const [regionLabel = '', region = '', salesLabel = '', sales = ''] = WORD_TEXT.cells;
  // Typed apart: TextRun also takes a string, whose legacy `bold()` the linter would see here.
  const emphasis: IRunOptions = { text: 'twelve percent', bold: true };
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: WORD_TEXT.title, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [new TextRun('Revenue rose by '), new TextRun(emphasis)],
          }),
          new Paragraph({ text: WORD_TEXT.bullet, bullet: { level: 0 } }),
          new Table({
            rows: [
              new TableRow({ children: [cell(regionLabel), cell(region)] }),
              new TableRow({ children: [cell(salesLabel), cell(sales)] }),
            ],
          }),
          new Paragraph({
            children: [
              new ImageRun({
                type: 'png',
                data: await bluePng(),
                transformation: { width: 160, height: 80 },
              }),
            ],
          }),
          new Paragraph({ children: [new PageBreak()] }),
          new Paragraph(WORD_TEXT.secondPage),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** An .xlsx with one sheet, "Budget", holding BUDGET_ROWS. */
export async function budgetWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Budget');
  for (const row of BUDGET_ROWS) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A PDF with one page per text (pdf-lib, Helvetica). */
export async function pdfWithPages(texts: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of texts) {
    const page = doc.addPage([300, 200]);
    page.drawText(text, { x: 20, y: 150, size: 14, font });
  }
  return Buffer.from(await doc.save());
}

/** The number of pages of a PDF (pdf-lib). */
export async function pageCount(pdf: Buffer): Promise<number> {
  return (await PDFDocument.load(pdf)).getPageCount();
}

/** Fails the test with one clear line when a tool the test needs is not installed. */
export function requireTool(path: string | null | undefined, what: string): string {
  if (!path || !existsSync(path)) {
    throw new Error(
      `${what} is not installed on this machine: this test needs it (CI installs it in .ci/run)`,
    );
  }
  return path;
}

/** The PDF's text as poppler's pdftotext reads it, whitespace collapsed. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const pdftotext = requireTool('/usr/bin/pdftotext', 'poppler-utils (pdftotext)');
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-pdftext-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    const { stdout } = await run(pdftotext, ['-enc', 'UTF-8', join(dir, 'in.pdf'), '-']);
    return stdout.replace(/\s+/g, ' ');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How many pictures the PDF holds, as poppler's pdfimages lists them. */
export async function pdfImageCount(pdf: Buffer): Promise<number> {
  const pdfimages = requireTool('/usr/bin/pdfimages', 'poppler-utils (pdfimages)');
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-pdfimages-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await run(pdfimages, ['-png', join(dir, 'in.pdf'), join(dir, 'img')]);
    return (await readdir(dir)).filter((name) => name.startsWith('img')).length;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The entry names of a ZIP archive, in order. */
export function zipEntries(zip: Buffer): string[] {
  return Object.keys(unzipSync(new Uint8Array(zip)));
}

/** The bytes of one entry of a ZIP archive. */
export function zipEntry(zip: Buffer, name: string): Buffer | undefined {
  const entry = unzipSync(new Uint8Array(zip))[name];
  return entry ? Buffer.from(entry) : undefined;
}

/** Width, height and format of an image, as sharp decodes it (throws when it does not decode). */
export async function imageInfo(data: Buffer): Promise<{ width: number; height: number; format: string }> {
  const { width, height, format } = await sharp(data).metadata();
  return { width, height, format };
}
