import { PDFDocument } from 'pdf-lib';
import { ConversionFailedError } from './errors.js';

/**
 * One PDF per page of `pdf`, with pdf-lib (pure JS: works without any installed tool).
 * @throws ConversionFailedError when the PDF cannot be read or has no pages
 */
export async function splitPdf(pdf: Buffer): Promise<Uint8Array[]> {
  const source = await loadPdf(pdf, 'The PDF');
  const count = source.getPageCount();
  if (count === 0) throw new ConversionFailedError('The PDF has no pages');
  const pages: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const single = await PDFDocument.create();
    const [page] = await single.copyPages(source, [index]);
    if (page) single.addPage(page);
    markProducer(single);
    pages.push(await single.save());
  }
  return pages;
}

/**
 * The pages of all `pdfs`, in order, in one PDF (pdf-lib).
 * @throws ConversionFailedError when one of them cannot be read
 */
export async function mergePdfs(pdfs: Array<{ data: Buffer; name: string }>): Promise<Uint8Array> {
  const merged = await PDFDocument.create();
  for (const pdf of pdfs) {
    const source = await loadPdf(pdf.data, pdf.name);
    const pages = await merged.copyPages(source, source.getPageIndices());
    for (const page of pages) merged.addPage(page);
  }
  markProducer(merged);
  return merged.save();
}

async function loadPdf(data: Buffer, label: string): Promise<PDFDocument> {
  try {
    // Encrypted PDFs are copied page by page as they are; pdf-lib cannot decrypt, so their content may
    // come out unreadable, as it would from any tool without the password.
    return await PDFDocument.load(data, { ignoreEncryption: true, updateMetadata: false });
  } catch (error) {
    throw new ConversionFailedError(`${label} is not a readable PDF: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function markProducer(doc: PDFDocument): void {
  doc.setProducer('convert-uploader sandbox (pdf-lib)');
  doc.setCreator('convert-uploader sandbox');
}
