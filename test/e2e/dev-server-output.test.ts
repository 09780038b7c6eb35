// `npm start` in a fresh checkout prints no error or warning, and serves every page it links to. It runs in a
// copy of the working tree's files (tracked and new, not ignored) with no dist/ of the package and no Vite cache:
// there the optimizer scans from nothing, as on a first `npm start` (in this working tree the cache and dist/ hide
// what a first run prints). The copy gets the built CDN files only, so that the script-tag pages load too.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { ensureBuilt } from '../node/helpers/build.js';

const repo = resolve('.');

/** A checkout of the working tree's files in a temporary folder, node_modules linked package by package. */
function freshCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convert-uploader-npm-start-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    // A tracked file deleted in the working tree is not copied.
    if (!existsSync(join(repo, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repo, file), join(dir, file));
  }
  // The installed packages, but not the caches Vite keeps in node_modules (.vite and the like).
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (entry.startsWith('.') && entry !== '.bin') continue;
    symlinkSync(join(repo, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  cpSync(join(repo, 'dist/cdn'), join(dir, 'dist/cdn'), { recursive: true });
  return dir;
}

/** Starts `npm start` in `cwd` on a free port; resolves with its URL once it is ready. */
function npmStart(cwd: string, output: string[]): { child: ChildProcess; url: Promise<string> } {
  // The demo on the embedded sandbox, whatever credentials the machine's environment holds.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CONVERTAPI|CLOUDCONVERT)_/.test(name)),
  );
  Object.assign(env, { NO_COLOR: '1', FORCE_COLOR: '0' });
  const child = spawn('npm', ['start', '--', '--host', '127.0.0.1', '--port', '0'], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolveUrl, reject) => {
    let text = '';
    const read = (chunk: Buffer) => {
      text += chunk.toString();
      output.push(chunk.toString());
      const found = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
      if (found?.[1]) resolveUrl(found[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      reject(new Error(`npm start exited (${String(code)}) before it was ready:\n${text}`));
    });
  });
  return { child, url };
}

describe('npm start (fresh checkout: no dist/, no Vite cache)', () => {
  let dir: string;
  let child: ChildProcess;
  let origin: string;
  let browser: Browser;
  const output: string[] = [];

  before(async () => {
    await ensureBuilt();
    dir = freshCheckout();
    const started = npmStart(dir, output);
    child = started.child;
    origin = await started.url;
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    if (child.pid && child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const pages = [
    { path: '/', ready: '#convertapi-uploader' },
    { path: '/states.html', ready: 'convert-uploader' },
    { path: '/cdn-module.html', ready: 'convert-uploader' },
    { path: '/cdn-iife.html', ready: 'convert-uploader' },
    { path: '/react/', ready: 'convert-uploader' },
    { path: '/vue/', ready: 'convert-uploader' },
  ];

  it('serves every page without a page error, and converts a sample on the landing page', async () => {
    for (const { path, ready } of pages) {
      const page = await browser.newPage();
      // The script-tag pages name no icon; a missing favicon is not what this test is about.
      await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
      // The states page makes the sandbox fail on purpose (its failed and converting states): those answers
      // come from the sandbox's own origin, and are expected there only.
      const states = path === '/states.html';
      const expectedFrom = (url: string) => states && !url.startsWith(origin);
      const problems = collectPageProblems(page, { expectedFrom });
      page.on('response', (answer) => {
        if (answer.status() >= 400 && !expectedFrom(answer.url())) {
          problems.push(`${String(answer.status())} ${answer.url()}`);
        }
      });
      const response = await page.goto(`${origin}${path}`);
      assert.equal(response?.status(), 200, path);
      // The element is defined and rendered its button (the page's script ran).
      await page.locator(ready).first().getByRole('button').first().waitFor();
      // Every state set up (and so every failure it provokes already seen), or the page says which did not.
      if (states) {
        await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
        assert.equal(
          await page.getAttribute('body', 'data-ready'),
          'true',
          (await page.getAttribute('body', 'data-problem')) ?? '',
        );
      }
      if (path === '/') {
        await page.getByRole('button', { name: 'Sample Markdown' }).click();
        await page
          .locator('#event-log li', { hasText: 'convert-complete: 1 succeeded, 0 failed, 0 canceled' })
          .waitFor({ timeout: 30_000 });
      }
      assert.deepEqual(problems, [], path);
      await page.close();
    }
  });

  it('prints no error or warning line', () => {
    const text = output.join('');
    assert.match(text, /ready in/);
    assert.match(text, /demo backend: token endpoints on this server/);
    const bad = text.split('\n').filter((line) => /error|fail|warn|\(!\)/i.test(line));
    assert.deepEqual(bad, [], text);
  });
});
