import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { startDevBackend, type DevBackend } from '../../demo/backend.js';
import { launchChromium } from '../node/helpers/browser.js';

const cdnDir = 'dist/cdn';
const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' };

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
<script type="module" src="/cdn/convert-uploader.js"></script><script type="module" src="/page.js"></script></head>
<body><main><h1>Strict CSP</h1>${widgets}</main></body></html>`;
}

describe('a page with a strict Content-Security-Policy', () => {
  let backend: DevBackend;
  let server: Server;
  let origin: string;
  let browser: Browser;

  before(async () => {
    if (!existsSync(join(cdnDir, 'convert-uploader.js'))) {
      execFileSync('npx', ['--no-install', 'vite', 'build', '--mode', 'cdn', '--logLevel', 'error'], {
        stdio: 'inherit',
      });
    }
    backend = await startDevBackend({});
    const sandbox = backend.sandbox;
    if (!sandbox) throw new Error('needs the sandbox');
    const widgets = `<convert-uploader id="convertapi" provider="convertapi" to="pdf" token-endpoint="/api/convert-token" api-base="${sandbox.convertapi.base}"></convert-uploader><ol id="convertapi-log"></ol>`;
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const send = (status: number, body: string | Buffer, type = 'text/plain') => {
        response.writeHead(status, {
          'content-type': type,
          'content-security-policy': policy(new URL(sandbox.url).origin),
        });
        response.end(body);
      };
      if (path.startsWith('/api/')) {
        backend.middleware(request, response, () => {
          send(404, 'not found');
        });
        return;
      }
      const file =
        path === '/page.js'
          ? 'test/e2e/csp/page.js'
          : path.startsWith('/cdn/')
            ? normalize(join(cdnDir, path.slice('/cdn/'.length)))
            : undefined;
      if (path === '/') send(200, page(widgets), types['.html']);
      else if (file && (file === 'test/e2e/csp/page.js' || file.startsWith(cdnDir))) {
        readFile(file).then(
          (body) => {
            send(200, body, types[extname(file)]);
          },
          () => {
            send(404, 'not found');
          },
        );
      } else send(404, 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    await backend.close();
  });

  it('converts a file with ConvertAPI with zero securitypolicyviolation events', async () => {
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

    await tab.goto(origin);

    await tab.locator('#convertapi input[type=file]').setInputFiles({
      name: 'strict.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Converted under a strict policy.'),
    });
    await tab
      .locator('#convertapi')
      .getByRole('link', { name: 'Download strict.pdf' })
      .waitFor({ timeout: 20_000 });
    assert.equal(
      await tab.locator('#convertapi-log li').first().textContent(),
      'convert-success: strict.txt',
    );
    assert.deepEqual(
      await tab.evaluate(() => (window as unknown as { violations: string[] }).violations),
      [],
    );
    assert.deepEqual(errors, []);
  });
});
