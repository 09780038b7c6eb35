import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';

describe('demo page (npm start)', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let origin: string;

  before(async () => {
    server = await createServer({
      configFile: 'vite.config.ts',
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'silent',
    });
    await server.listen();
    const address = server.httpServer?.address() as AddressInfo;
    origin = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
  });

  it('serves the page and the element renders with its button', async () => {
    const page = await browser.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    const button = page.locator('convert-uploader').getByRole('button', { name: 'Choose files' });
    await button.waitFor();
    assert.equal(await button.isEnabled(), true);
    await page.locator('convert-uploader input[type=file]').setInputFiles({
      name: 'hello.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    });
    await page.locator('#event-log li').first().waitFor();
    assert.equal(await page.locator('#event-log li').first().textContent(), 'convert-added: hello.txt');
    assert.deepEqual(problems, []);
  });
});
