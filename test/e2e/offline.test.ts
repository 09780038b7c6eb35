import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { ensureBuilt } from '../node/helpers/build.js';
import { startPageServer, type PageServer } from '../node/helpers/page-server.js';

// Going offline takes the page's whole network away, the test runner's own channel too, so this
// scenario runs here, with Playwright holding the switch, rather than among the browser tests.
describe('the browser goes offline in the middle of an upload', () => {
  let server: PageServer;
  let browser: Browser;

  before(async () => {
    await ensureBuilt();
    server = await startPageServer({ folders: { '/cdn/': 'dist/cdn' }, pages: {} });
    const sandbox = server.backend.sandbox!;
    server.setPage(
      '/',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Offline</title><link rel="icon" href="data:,">
<script type="module" src="/cdn/convert-uploader.js"></script></head><body>
<convert-uploader provider="convertapi" to="pdf" token-endpoint="/api/convert-token" api-base="${sandbox.convertapi.base}"></convert-uploader>
</body></html>`,
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
  });

  it('fails the file with a clear code, and Retry converts it once the browser is back online', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    server.backend.sandbox!.addFaults([
      {
        match: { service: 'convertapi', path: '/upload' },
        times: 1,
        action: { throttleBytesPerSec: 30_000 },
      },
    ]);
    await page.goto(server.origin);
    await page.locator('convert-uploader input[type=file]').setInputFiles({
      name: 'away.txt',
      mimeType: 'text/plain',
      buffer: Buffer.alloc(400_000, 'z'),
    });
    const status = () =>
      page.evaluate(
        () =>
          (
            document.querySelector('convert-uploader') as unknown as {
              items: { status: string; error?: { code: string } }[];
            }
          ).items[0],
      );
    await page.waitForFunction(
      () =>
        (document.querySelector('convert-uploader') as unknown as { items: { status: string }[] }).items[0]
          ?.status === 'uploading',
    );
    await context.setOffline(true);
    await page.waitForFunction(
      () =>
        (document.querySelector('convert-uploader') as unknown as { items: { status: string }[] }).items[0]
          ?.status === 'error',
      undefined,
      { timeout: 60_000 },
    );
    // Chromium lets a request already under way finish: the file fails on its next request, the
    // upload (`network`) or the token endpoint right after it (`token-endpoint-failed`).
    assert.ok(['network', 'token-endpoint-failed'].includes((await status())?.error?.code ?? ''));
    await context.setOffline(false);
    await page.locator('convert-uploader').getByRole('button', { name: 'Retry away.txt' }).click();
    await page
      .locator('convert-uploader')
      .getByRole('link', { name: 'Download away.pdf' })
      .waitFor({ timeout: 30_000 });
    assert.equal((await status())?.status, 'done');
    // The browser logs the request it refused while offline; the page itself raised nothing.
    assert.deepEqual(
      problems.filter((problem) => !problem.includes('net::ERR_INTERNET_DISCONNECTED')),
      [],
    );
    await context.close();
  });
});
