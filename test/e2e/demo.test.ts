import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Document, Packer, Paragraph, HeadingLevel } from 'docx';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { startDemoServer } from '../node/helpers/demo-server.js';

describe('demo page (npm start)', () => {
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let browser: Browser;
  let origin: string;

  before(async () => {
    server = await startDemoServer();
    origin = server.origin;
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
  });

  it('converts a text file with ConvertAPI (the embedded sandbox) and downloads the PDF', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    const widget = page.locator('#convertapi-uploader');
    const chooser = page.waitForEvent('filechooser');
    await widget.getByRole('button', { name: 'Choose files' }).click();
    await (
      await chooser
    ).setFiles({
      name: 'hello.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Hello from the demo.\nA second line.'),
    });

    const link = widget.getByRole('link', { name: 'Download hello.pdf' });
    await link.waitFor({ timeout: 20_000 });
    const downloading = page.waitForEvent('download');
    await link.click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'hello.pdf');
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');

    await page.getByText('convert-complete: 1 succeeded, 0 failed, 0 canceled').waitFor();
    assert.deepEqual(problems, []);
  });

  it('converts a Word document: the picker offers what the sandbox converts it to, and the PDF has its text', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    const widget = page.locator('#convertapi-uploader');
    await widget.evaluate((element) => {
      (element as HTMLElement & { autoStart: boolean }).autoStart = false;
    });
    const report = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Quarterly report', heading: HeadingLevel.HEADING_1 }),
            new Paragraph('Revenue grew in every region.'),
          ],
        },
      ],
    });
    const chooser = page.waitForEvent('filechooser');
    await widget.getByRole('button', { name: 'Choose files' }).click();
    await (
      await chooser
    ).setFiles({
      name: 'report.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: await Packer.toBuffer(report),
    });
    const picker = widget.getByRole('combobox', { name: 'Convert to' });
    // Until the service's catalogue answers, the picker offers every format of `formats`; then only docx's targets.
    await page.waitForFunction(() => {
      const select = document.querySelector('#convertapi-uploader')?.shadowRoot?.querySelector('select');
      const text = select?.textContent ?? '';
      return text.includes('PDF') && !text.includes('WEBP');
    });
    const offered = await picker.locator('option').allTextContents();
    assert.ok(offered.includes('PDF') && !offered.includes('WEBP'), offered.join());
    await picker.selectOption('pdf');
    await widget.evaluate((element) => {
      (element as HTMLElement & { start(): void }).start();
    });

    const link = widget.getByRole('link', { name: 'Download report.pdf' });
    await link.waitFor({ timeout: 60_000 });
    const downloading = page.waitForEvent('download');
    await link.click();
    const pdf = await readFile(await (await downloading).path());
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
    assert.match(text, /Quarterly report/);
    assert.match(text, /Revenue grew in every region\./);
    assert.deepEqual(problems, []);
  });
});
