import mammoth from 'mammoth';
import { ConversionFailedError } from './errors.js';

/**
 * A Word document (.docx) as HTML with mammoth: headings, paragraphs with bold and italic, lists,
 * tables, and images inlined as `data:` URIs. Linked files outside the document are never read.
 * @throws ConversionFailedError when the file is not a readable .docx
 */
export async function docxToHtml(data: Buffer): Promise<string> {
  try {
    const result = await mammoth.convertToHtml(
      { buffer: data },
      // Page breaks are dropped unless mapped; as a classed rule they start a new PDF page.
      { externalFileAccess: false, styleMap: ["br[type='page'] => hr.page-break"] },
    );
    return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${result.value}</body></html>`;
  } catch (error) {
    throw new ConversionFailedError(`The file is not a readable Word document: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
