import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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
});
