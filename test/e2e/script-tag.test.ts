// The CDN files work from a plain page with nothing else loaded: demo/cdn-module.html (the ES module)
// and demo/cdn-iife.html (the classic script) convert a file against the sandbox, served byte for byte
// (no bundler in between) under a strict Content-Security-Policy: the one README gives for ConvertAPI.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { ensureBuilt } from '../node/helpers/build.js';
import { startPageServer, type PageServer } from '../node/helpers/page-server.js';

describe('script-tag pages (dist/cdn)', () => {
  let server: PageServer;
  let browser: Browser;
  let sandboxOrigin: string;

  before(async () => {
    await ensureBuilt();
    // The pages and the CDN files as they are on disk, with the demo backend (the embedded sandbox).
    server = await startPageServer({
      folders: { '/demo/': 'demo', '/dist/cdn/': 'dist/cdn' },
      pages: {},
      headers: (origin) => ({
        'content-security-policy': [
          "default-src 'none'",
          "script-src 'self'",
          `connect-src 'self' ${origin}`,
          `img-src 'self' ${origin}`,
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join('; '),
      }),
    });
    sandboxOrigin = new URL(server.backend.config.convertapi.apiBase ?? '').origin;
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
  });

  /** Opens a page that records CSP violations and every script it loads. */
  async function open(path: string) {
    const page = await browser.newPage({ acceptDownloads: true });
    // Browsers ask for it whatever the page says; an empty answer keeps a 404 out of the console.
    await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
    const problems = collectPageProblems(page);
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.addInitScript(() => {
      const violations: string[] = [];
      (globalThis as unknown as { cspViolations: string[] }).cspViolations = violations;
      document.addEventListener('securitypolicyviolation', (event) => {
        violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
      });
    });
    await page.goto(`${server.origin}${path}`);
    return { page, problems, scripts };
  }

  /** Picks a text file in the page's widget and waits for its PDF; returns the PDF's bytes. */
  async function convert(page: Page): Promise<Buffer> {
    const widget = page.locator('convert-uploader');
    const chooser = page.waitForEvent('filechooser');
    // The button is enabled once the page has the sandbox's URL (the click waits for that).
    await widget.getByRole('button', { name: 'Choose a file' }).click();
    await (
      await chooser
    ).setFiles({
      name: 'hello.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Hello from a script tag.'),
    });
    const link = widget.getByRole('link', { name: 'Download hello.pdf' });
    await link.waitFor({ timeout: 20_000 });
    const href = await link.getAttribute('href');
    assert.equal(new URL(href ?? '').origin, sandboxOrigin, 'the result comes from the sandbox');
    await page.getByText('convert-success: hello.txt → hello.pdf').waitFor();
    await page.getByText('convert-complete: 1 succeeded, 0 failed, 0 canceled').waitFor();
    const pdf = await page.request.get(href ?? '');
    return pdf.body();
  }

  const cspViolations = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);

  it('ES module: converts a file, and loads other languages from beside the module', async () => {
    const { page, problems, scripts } = await open('/demo/cdn-module.html');
    const pdf = await convert(page);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    // The page's own two scripts, then only the module's own code, from beside it.
    assert.deepEqual(scripts.slice(0, 2), ['/dist/cdn/convert-uploader.js', '/demo/cdn-module.js']);
    assert.ok(
      scripts.slice(2).every((script) => /^\/dist\/cdn\/[\w.-]+\.js$/.test(script)),
      scripts.join(),
    );

    // German strings are a file of their own, resolved against the module's URL, not the page's.
    await page.evaluate(() => {
      document.documentElement.lang = 'de';
    });
    await page.locator('convert-uploader').getByRole('button', { name: 'Datei auswählen' }).waitFor();
    assert.ok(scripts.includes('/dist/cdn/convert-uploader.de.js'), scripts.join());

    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('classic script (IIFE): converts a file from one file, and loads other languages from beside it', async () => {
    const { page, problems, scripts } = await open('/demo/cdn-iife.html');
    const pdf = await convert(page);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const global = await page.evaluate(() => {
      const exported = (globalThis as unknown as { ConvertUploader?: Record<string, unknown> })
        .ConvertUploader;
      return {
        keys: Object.keys(exported ?? {}).sort(),
        sameClass: exported?.['ConvertUploader'] === customElements.get('convert-uploader'),
      };
    });
    assert.deepEqual(global, { keys: ['ConvertEvents', 'ConvertUploader'], sameClass: true });

    assert.deepEqual(scripts, ['/dist/cdn/convert-uploader.iife.js', '/demo/cdn-iife.js']);

    // Japanese strings come from the same file the module uses, found from the script's own URL.
    await page.evaluate(() => {
      document.documentElement.lang = 'ja';
    });
    await page.locator('convert-uploader').getByRole('button', { name: 'ファイルを選択' }).waitFor();
    assert.deepEqual(scripts, [
      '/dist/cdn/convert-uploader.iife.js',
      '/demo/cdn-iife.js',
      '/dist/cdn/convert-uploader.ja.js',
    ]);

    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
