import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { launchChromium } from '../node/helpers/browser.js';
import { startPageServer, type PageServer } from '../node/helpers/page-server.js';

const cdnDir = 'dist/cdn';

/**
 * The strictest policy a host could set, loosened only where the element truly needs it:
 * `trusted-types lit-html` (Lit's templates go through its own Trusted Types policy).
 */
function policy(sandboxOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${sandboxOrigin}`,
    `img-src 'self' ${sandboxOrigin}`,
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

function page(widgets: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict CSP</title>
<script type="module" src="/cdn/convert-uploader.js"></script><script type="module" src="/csp/page.js"></script></head>
<body><main><h1>Strict CSP</h1>${widgets}</main></body></html>`;
}

describe('a page with a strict Content-Security-Policy', () => {
  let server: PageServer;
  let browser: Browser;

  before(async () => {
    if (!existsSync(join(cdnDir, 'convert-uploader.js'))) {
      execFileSync('npx', ['--no-install', 'vite', 'build', '--mode', 'cdn', '--logLevel', 'error'], {
        stdio: 'inherit',
      });
    }

    server = await startPageServer({
      folders: { '/cdn/': cdnDir, '/csp/': 'test/e2e/csp' },
      pages: { '/': '' },
      headers: (sandboxOrigin) => ({ 'content-security-policy': policy(sandboxOrigin) }),
    });
    const sandbox = server.backend.sandbox!;
    const widgets = `<convert-uploader id="convertapi" provider="convertapi" to="pdf" token-endpoint="/api/convert-token" api-base="${sandbox.convertapi.base}"></convert-uploader><ol id="convertapi-log"></ol>
<convert-uploader id="cloudconvert" provider="cloudconvert" to="pdf" token-endpoint="/api/cloudconvert-job"></convert-uploader><ol id="cloudconvert-log"></ol>`;
    server.setPage('/', page(widgets));
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
  });

  for (const [widget, name] of [
    ['convertapi', 'ConvertAPI'],
    ['cloudconvert', 'CloudConvert (server-job mode)'],
  ] as const) {
    it(`converts a file with ${name} with zero securitypolicyviolation events`, async () => {
      const tab = await browser.newPage();
      await tab.addInitScript(() => {
        const violations: string[] = [];
        Object.assign(window, { violations });
        document.addEventListener('securitypolicyviolation', (event) => {
          violations.push(`${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      await tab.goto(server.origin);
      await tab.locator(`#${widget} input[type=file]`).setInputFiles({
        name: 'strict.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Converted under a strict policy.'),
      });
      await tab
        .locator(`#${widget}`)
        .getByRole('link', { name: 'Download strict.pdf' })
        .waitFor({ timeout: 20_000 });
      assert.equal(
        await tab.locator(`#${widget}-log li`).first().textContent(),
        'convert-success: strict.txt',
      );
      assert.deepEqual(
        await tab.evaluate(() => (window as unknown as { violations: string[] }).violations),
        [],
      );
      assert.deepEqual(errors, []);
      await tab.close();
    });
  }
});
