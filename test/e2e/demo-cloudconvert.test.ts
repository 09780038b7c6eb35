import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { startDemoServer } from '../node/helpers/demo-server.js';

/** Clicks the widget's link to `name` and returns the downloaded PDF (checked to be one). */
async function downloadPdf(page: Page, widget: Locator, name: string): Promise<Buffer> {
  const link = widget.getByRole('link', { name: `Download ${name}` });
  await link.waitFor({ timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await link.click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), name);
  const pdf = await readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  return pdf;
}

/** Picks `name` in the widget, then downloads the PDF from its result link. */
async function convertAndDownload(page: Page, widget: Locator, name: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await widget.getByRole('button', { name: 'Choose files' }).click();
  await (
    await chooser
  ).setFiles({
    name,
    mimeType: 'text/plain',
    buffer: Buffer.from('Hello from the CloudConvert demo.\nA second line.'),
  });
  await downloadPdf(page, widget, name.replace(/\.txt$/, '.pdf'));
}

/** The token endpoints the page calls, in order (method and path). */
function recordTokenCalls(page: Page): string[] {
  const calls: string[] = [];
  const endpoints = ['/api/convert-token', '/api/cloudconvert-job', '/api/convert/oauth/token'];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (endpoints.includes(path)) calls.push(`${request.method()} ${path}`);
  });
  return calls;
}

/** Which of the three widgets is shown. */
const shownWidgets = (page: Page) =>
  page
    .locator('convert-uploader')
    .evaluateAll((elements) =>
      elements.filter((element) => !(element as HTMLElement).hidden).map((e) => e.id),
    );

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });

describe('demo page: provider switch and CloudConvert (npm start)', () => {
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

  it('converts in server-job mode and downloads the PDF; a sample converts there too', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = collectPageProblems(page);
    const tokenCalls = recordTokenCalls(page);
    await page.goto(`${origin}/`);
    // ConvertAPI is the first choice.
    assert.equal(await page.getByRole('radio', { name: /^ConvertAPI/ }).isChecked(), true);
    assert.deepEqual(await shownWidgets(page), ['convertapi-uploader']);

    await page.getByRole('radio', { name: /CloudConvert: server job/ }).check();
    await page.getByText('Server-job mode: the backend creates each job with its API key.').waitFor();
    assert.deepEqual(await shownWidgets(page), ['cloudconvert-uploader']);
    const widget = page.locator('#cloudconvert-uploader');
    await convertAndDownload(page, widget, 'server-job.txt');
    await page
      .locator('#event-log li', { hasText: 'convert-complete: 1 succeeded, 0 failed, 0 canceled' })
      .waitFor();

    await page.getByRole('button', { name: 'Sample Markdown' }).click();
    assert.match(pdfText(await downloadPdf(page, widget, 'release-notes.pdf')), /Release notes/);
    // Both went through the job endpoint; the browser never asked for a ConvertAPI token.
    assert.ok(tokenCalls.length >= 2, tokenCalls.join());
    assert.deepEqual(new Set(tokenCalls), new Set(['POST /api/cloudconvert-job']));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('each choice converts a sample end to end: ConvertAPI, CloudConvert server job, CloudConvert OAuth', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const tokenCalls = recordTokenCalls(page);
    await page.goto(`${origin}/`);

    // ConvertAPI: the Word sample.
    await page.getByRole('button', { name: 'Sample Word document' }).click();
    const report = pdfText(
      await downloadPdf(page, page.locator('#convertapi-uploader'), 'quarterly-report.pdf'),
    );
    assert.match(report, /Quarterly report/);
    assert.deepEqual(new Set(tokenCalls.splice(0)), new Set(['POST /api/convert-token']));

    // CloudConvert server job: the photo. The ConvertAPI widget keeps its file, hidden.
    await page.getByRole('radio', { name: /CloudConvert: server job/ }).check();
    await page
      .locator('#event-log li', { hasText: 'Now converting with CloudConvert (server job).' })
      .waitFor();
    await page.getByRole('button', { name: 'Sample photo' }).click();
    await downloadPdf(page, page.locator('#cloudconvert-uploader'), 'dusk-over-the-lake.pdf');
    assert.deepEqual(new Set(tokenCalls.splice(0)), new Set(['POST /api/cloudconvert-job']));
    const convertApiFiles = await page
      .locator('#convertapi-uploader')
      .evaluate((element: HTMLElementTagNameMap['convert-uploader']) =>
        element.items.map((item) => item.name),
      );
    assert.deepEqual(convertApiFiles, ['quarterly-report.docx']);

    // CloudConvert OAuth: through the sandbox's consent page, then the Markdown sample.
    // Not connected yet: the choice leaves for the consent page.
    await page.getByRole('radio', { name: /CloudConvert: OAuth/ }).click();
    await page.getByRole('heading', { name: 'Authorization Request' }).waitFor();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL(/cloudconvert=connected/);
    // From here on: the sandbox's consent page has no favicon, which is not the demo's problem.
    const problems = collectPageProblems(page);
    await page.getByText('Connected: the widget converts with a short-lived OAuth access token.').waitFor();
    assert.equal(await page.getByRole('radio', { name: /CloudConvert: OAuth/ }).isChecked(), true);
    assert.deepEqual(await shownWidgets(page), ['cloudconvert-oauth-uploader']);
    tokenCalls.splice(0);
    await page.getByRole('button', { name: 'Sample Markdown' }).click();
    const oauthWidget = page.locator('#cloudconvert-oauth-uploader');
    assert.match(pdfText(await downloadPdf(page, oauthWidget, 'release-notes.pdf')), /Release notes/);
    assert.deepEqual(tokenCalls, ['POST /api/convert/oauth/token']);

    // Once connected, switching away and back stays on the page, with the OAuth widget's file still listed.
    const url = page.url();
    await page.getByRole('radio', { name: /^ConvertAPI/ }).check();
    assert.deepEqual(await shownWidgets(page), ['convertapi-uploader']);
    await page.getByRole('radio', { name: /CloudConvert: OAuth/ }).check();
    await page.getByText('Connected: the widget converts with a short-lived OAuth access token.').waitFor();
    assert.equal(page.url(), url);
    await oauthWidget.getByRole('link', { name: 'Download release-notes.pdf' }).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('connects through the sandbox OAuth consent page and converts in access-token mode', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${origin}/`);
    // Not connected yet: the choice leaves for the consent page.
    await page.getByRole('radio', { name: /CloudConvert: OAuth/ }).click();
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
    await convertAndDownload(page, page.locator('#cloudconvert-oauth-uploader'), 'access-token.txt');
    assert.deepEqual(tokenCalls, ['POST']);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
