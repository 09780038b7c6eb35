// The React 19 and Vue 3 example apps (demo/react, demo/vue): each builds with Vite against the built
// package, type-checks with its framework's checker (the generated element types included, with
// deliberate mistakes that must be refused), and converts files against the sandbox with the
// framework's own code receiving the events (it renders the results from its event handlers).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { build } from 'vite';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { ensureBuilt } from '../node/helpers/build.js';
import { startDemoServer } from '../node/helpers/demo-server.js';
import { startPageServer, type PageServer } from '../node/helpers/page-server.js';
import type { DemoConfig } from '../../demo/backend.js';

const apps = [
  { name: 'React', dir: 'demo/react', checker: 'node_modules/typescript/bin/tsc' },
  { name: 'Vue', dir: 'demo/vue', checker: 'node_modules/vue-tsc/bin/vue-tsc.js' },
];

/** Runs a Node script; resolves with its exit code and output. */
function runNode(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

/** Opens the app at `url` and converts two files with it, checking what the app renders and what it bound. */
async function convertTwoFiles(browser: Browser, app: (typeof apps)[number], url: string, apiBase: string) {
  const page = await browser.newPage();
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  const problems = collectPageProblems(page);
  await page.goto(url);
  const widget = page.locator('convert-uploader');
  // The label comes from the `strings` property the framework set (an object: no attribute could carry it).
  const chooser = page.waitForEvent('filechooser');
  await widget.getByRole('button', { name: `Choose files for ${app.name}` }).click();
  await (
    await chooser
  ).setFiles([
    { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from(`Hello from ${app.name}.`) },
    {
      name: 'notes.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(`# Notes\n\nFrom ${app.name}.`),
    },
  ]);

  await page.getByRole('status').getByText('2 converted, 0 failed').waitFor({ timeout: 20_000 });
  const list = page.getByRole('list', { name: 'Converted files' });
  const names = (await list.getByRole('link').allTextContents()).sort();
  assert.deepEqual(names, ['hello.pdf', 'notes.pdf']);
  const href = await list.getByRole('link', { name: 'hello.pdf' }).getAttribute('href');
  assert.equal(new URL(href ?? '').origin, new URL(apiBase).origin);
  const pdf = await page.request.get(href ?? '');
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  // The properties bound by the framework reached the element.
  const bound = await widget.evaluate((element: HTMLElementTagNameMap['convert-uploader']) => ({
    apiBase: element.apiBase,
    multiple: element.multiple,
    disabled: element.disabled,
    tokenEndpoint: element.tokenEndpoint,
  }));
  assert.deepEqual(bound, {
    apiBase,
    multiple: true,
    disabled: false,
    tokenEndpoint: '/api/convert-token',
  });
  assert.deepEqual(problems, []);
  await page.close();
}

describe('framework examples (demo/react, demo/vue)', () => {
  let browser: Browser;

  before(async () => {
    await ensureBuilt();
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
  });

  for (const app of apps) {
    describe(app.name, () => {
      let server: PageServer;

      before(async () => {
        await build({ root: app.dir, configFile: `${app.dir}/vite.config.ts`, logLevel: 'error' });
        // The built app as it is on disk, with the demo backend (the embedded sandbox).
        server = await startPageServer({
          folders: { '/assets/': `${app.dir}/dist/assets` },
          pages: { '/': readFileSync(`${app.dir}/dist/index.html`, 'utf8') },
        });
      });

      after(async () => {
        await server.close();
      });

      it(`type-checks, refusing the deliberate mistakes (${app.checker.split('/')[1] ?? ''})`, async () => {
        const { code, output } = await runNode([app.checker, '-p', app.dir]);
        assert.equal(code, 0, output);
      });

      it('converts two files, the app rendering the results from its event handlers', async () => {
        await convertTwoFiles(browser, app, server.origin, server.backend.config.convertapi.apiBase ?? '');
      });
    });
  }
});

describe('framework examples served by npm start (/react/, /vue/, from the sources)', () => {
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let browser: Browser;

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
  });

  for (const app of apps) {
    it(`${app.name}: converts two files, the app rendering the results from its event handlers`, async () => {
      const config = (await (await fetch(`${server.origin}/api/demo-config`)).json()) as DemoConfig;
      const path = `/${app.dir.split('/')[1] ?? ''}/`;
      await convertTwoFiles(browser, app, `${server.origin}${path}`, config.convertapi.apiBase ?? '');
    });
  }
});
