import ExcelJS from 'exceljs';
import { ConversionFailedError } from './errors.js';

/**
 * An Excel workbook (.xlsx) as HTML with exceljs: one heading per worksheet and a table of its
 * rows, each cell as Excel displays it (formatted numbers and dates, formula results).
 * @throws ConversionFailedError when the file is not a readable .xlsx
 */
export async function xlsxToHtml(data: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's own Buffer type predates Node's generic Buffer; the bytes are what it reads.
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new ConversionFailedError(
      `The file is not a readable Excel workbook: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const sections = workbook.worksheets
    .filter((sheet) => sheet.state === 'visible')
    .map((sheet) => {
      const rows: string[] = [];
      sheet.eachRow({ includeEmpty: false }, (row) => {
        const cells: string[] = [];
        row.eachCell({ includeEmpty: true }, (cell) => cells.push(`<td>${escapeHtml(cell.text)}</td>`));
        rows.push(`<tr>${cells.join('')}</tr>`);
      });
      return `<h2>${escapeHtml(sheet.name)}</h2><table>${rows.join('')}</table>`;
    });
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${sections.join('')}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
