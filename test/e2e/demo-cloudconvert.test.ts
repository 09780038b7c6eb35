import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { startDemoServer } from '../node/helpers/demo-server.js';

/** Picks `name` in the CloudConvert widget, then downloads the PDF from its result link. */
async function convertAndDownload(page: Page, name: string): Promise<void> {
  const widget = page.locator('#cloudconvert-uploader');
  const chooser = page.waitForEvent('filechooser');
  await widget.getByRole('button', { name: 'Choose files' }).click();
  await (
    await chooser
  ).setFiles({
    name,
    mimeType: 'text/plain',
    buffer: Buffer.from('Hello from the CloudConvert demo.\nA second line.'),
  });
  const pdfName = name.replace(/\.txt$/, '.pdf');
  const link = widget.getByRole('link', { name: `Download ${pdfName}` });
  await link.waitFor({ timeout: 20_000 });
  const downloading = page.waitForEvent('download');
  await link.click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), pdfName);
  const pdf = await readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
}

describe('demo page: CloudConvert widget (npm start)', () => {
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

  it('converts in server-job mode (the default) and downloads the PDF', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    assert.equal(await page.getByLabel('Server job', { exact: false }).isChecked(), true);
    await convertAndDownload(page, 'server-job.txt');
    await page.getByText('convert-complete: 1 succeeded, 0 failed, 0 canceled').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('connects through the sandbox OAuth consent page and converts in access-token mode', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${origin}/`);
    await page.getByLabel('Connect to CloudConvert', { exact: false }).click();
    await page.getByRole('heading', { name: 'Authorization Request' }).waitFor();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL(/cloudconvert=connected/);
    // From here on: the sandbox's consent page has no favicon, which is not the demo's problem.
    const problems = collectPageProblems(page);
    await page.getByText('Connected: the widget converts with a short-lived OAuth access token.').waitFor();
    const tokenCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/convert/oauth/token') tokenCalls.push(request.method());
    });
    await convertAndDownload(page, 'access-token.txt');
    assert.deepEqual(tokenCalls, ['POST']);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
