import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Document, Packer, Paragraph, HeadingLevel } from 'docx';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import { collectPageProblems, launchChromium } from '../node/helpers/browser.js';
import { startDemoServer } from '../node/helpers/demo-server.js';

/** The events log's entry that reads `text` (an event's name, a colon, its summary). */
const logEntry = (page: Page, text: string) => page.locator('#event-log li', { hasText: text });

/** Clicks the widget's link to `name` and returns the downloaded file. */
async function download(page: Page, widget: Locator, name: string): Promise<Buffer> {
  const link = widget.getByRole('link', { name: `Download ${name}` });
  await link.waitFor({ timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await link.click();
  const file = await downloading;
  assert.equal(file.suggestedFilename(), name);
  return readFile(await file.path());
}

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });

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

    const pdf = await download(page, widget, 'hello.pdf');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');

    await logEntry(page, 'convert-complete: 1 succeeded, 0 failed, 0 canceled').waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('converts a Word document: the picker offers what the sandbox converts it to, and the PDF has its text', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    const widget = page.locator('#convertapi-uploader');
    await widget.evaluate((element: HTMLElementTagNameMap['convert-uploader']) => {
      element.autoStart = false;
    });
    const report = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Quarterly report', heading: HeadingLevel.HEADING_1 }),
            new Paragraph('Revenue grew in every region.'),
          ],
        },
      ],
    });
    const chooser = page.waitForEvent('filechooser');
    await widget.getByRole('button', { name: 'Choose files' }).click();
    await (
      await chooser
    ).setFiles({
      name: 'report.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: await Packer.toBuffer(report),
    });
    const picker = widget.getByRole('combobox', { name: 'Convert to' });
    // Until the service's catalogue answers, the picker offers every format of `formats`; then only docx's targets.
    await page.waitForFunction(() => {
      const select = document.querySelector('#convertapi-uploader')?.shadowRoot?.querySelector('select');
      const text = select?.textContent ?? '';
      return text.includes('PDF') && !text.includes('WEBP');
    });
    const offered = await picker.locator('option').allTextContents();
    assert.ok(offered.includes('PDF') && !offered.includes('WEBP'), offered.join());
    await picker.selectOption('pdf');
    await widget.evaluate((element: HTMLElementTagNameMap['convert-uploader']) => {
      element.start();
    });

    const text = pdfText(await download(page, widget, 'report.pdf'));
    assert.match(text, /Quarterly report/);
    assert.match(text, /Revenue grew in every region\./);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('adds each sample with one click, and converts it: the PDFs hold the samples', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    const widget = page.locator('#convertapi-uploader');

    await page.getByRole('button', { name: 'Sample Word document' }).click();
    await logEntry(page, 'convert-added: quarterly-report.docx').waitFor();
    const report = pdfText(await download(page, widget, 'quarterly-report.pdf'));
    assert.match(report, /Quarterly report/);
    assert.match(report, /Revenue grew in every region\./);

    await page.getByRole('button', { name: 'Sample Markdown' }).click();
    const notes = pdfText(await download(page, widget, 'release-notes.pdf'));
    assert.match(notes, /Release notes/);
    assert.match(notes, /straight to the service/);

    await page.getByRole('button', { name: 'Sample photo' }).click();
    const photo = await download(page, widget, 'dusk-over-the-lake.pdf');
    assert.equal(photo.subarray(0, 5).toString('latin1'), '%PDF-');
    // The picture is on the page: rendered in grey, most of it is darker than a blank page (the dusk sky).
    const pgm = execFileSync('pdftoppm', ['-r', '12', '-gray', '-singlefile'], { input: photo });
    const [, width, height] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 32)) ?? [];
    const pixels = pgm.subarray(pgm.length - Number(width) * Number(height));
    const dark = pixels.filter((value) => value < 160).length;
    assert.ok(dark > pixels.length / 2, `${String(dark)} of ${String(pixels.length)} pixels are dark`);

    // Each was added as its own file, with the name and type of the sample.
    const items = await widget.evaluate((element: HTMLElementTagNameMap['convert-uploader']) =>
      element.items.map((item) => [item.name, item.status]),
    );
    assert.deepEqual(items, [
      ['quarterly-report.docx', 'done'],
      ['release-notes.md', 'done'],
      ['dusk-over-the-lake.jpg', 'done'],
    ]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the sample files are small (under 100 KB together)', () => {
    const files = readdirSync('demo/samples').filter((name) => !name.endsWith('.mjs'));
    assert.deepEqual(files.sort(), ['dusk-over-the-lake.jpg', 'quarterly-report.docx', 'release-notes.md']);
    const total = files.reduce((sum, name) => sum + statSync(`demo/samples/${name}`).size, 0);
    assert.ok(total < 100 * 1024, `${String(total)} bytes`);
  });

  it('takes a sample dragged onto the drop zone', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = collectPageProblems(page);
    await page.goto(`${origin}/`);
    const widget = page.locator('#convertapi-uploader');
    const sample = page.getByRole('button', { name: 'Sample photo' });
    // The sample is fetched when the page loads; a drag can only carry one that is here.
    await page.waitForFunction(() =>
      performance
        .getEntriesByType('resource')
        .some((entry) => entry.name.endsWith('/samples/dusk-over-the-lake.jpg')),
    );
    await sample.dragTo(widget.locator('[part~="dropzone"]'));
    await logEntry(page, 'convert-added: dusk-over-the-lake.jpg').waitFor();
    const pdf = await download(page, widget, 'dusk-over-the-lake.pdf');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(await sample.getAttribute('draggable'), 'true');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('logs every event the page receives, and no credential', async () => {
    const page = await browser.newPage();
    const problems = collectPageProblems(page);
    // Every string the token endpoint answers (the token, its expiry...): none may show on the page.
    const answered: string[] = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname !== '/api/convert-token') return;
      const collect = (value: unknown): void => {
        if (typeof value === 'string' && value.length >= 16) answered.push(value);
        else if (value && typeof value === 'object') Object.values(value).forEach(collect);
      };
      collect(await response.json());
    });
    await page.goto(`${origin}/`);
    await page.getByText('Add a file to see its events.').waitFor();
    const widget = page.locator('#convertapi-uploader');
    const chooser = page.waitForEvent('filechooser');
    await widget.getByRole('button', { name: 'Choose files' }).click();
    await (
      await chooser
    ).setFiles([
      { name: 'program.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
      { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('Hello from the events log.') },
      // Not a picture at all: the service fails it.
      { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture') },
    ]);
    await logEntry(page, 'convert-complete: 1 succeeded, 1 failed, 0 canceled').waitFor({ timeout: 60_000 });

    await logEntry(page, 'convert-rejected: program.exe: file-type-not-accepted').waitFor();
    await logEntry(page, 'convert-added: hello.txt, broken.jpg').waitFor();
    await logEntry(page, 'convert-progress: hello.txt uploading 100%').waitFor();
    await logEntry(page, 'convert-success: hello.txt → hello.pdf').waitFor();
    await logEntry(page, 'convert-error: broken.jpg: conversion-failed').waitFor();
    assert.equal(await page.getByText('Add a file to see its events.').isVisible(), false);

    assert.ok(answered.length > 0, 'the token endpoint answered');
    const shown = `${page.url()}\n${await page.content()}\n${await page.locator('#event-log').innerText()}`;
    for (const secret of answered) assert.ok(!shown.includes(secret), 'a credential is on the page');
    assert.doesNotMatch(await page.locator('#event-log').innerText(), /eyJ[\w-]+\./);

    await page.getByRole('button', { name: 'Clear log' }).click();
    assert.equal(await page.locator('#event-log li').count(), 0);
    await page.getByText('Add a file to see its events.').waitFor();
    // The browser reports the service's answer to the broken file (a 500) in the console; nothing else.
    assert.deepEqual(
      problems.filter((problem) => !problem.includes('the server responded with a status of 500')),
      [],
    );
    await page.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`axe finds nothing on the landing page (${colorScheme}), with a file converted and events logged`, async () => {
      const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
      const problems = collectPageProblems(page);
      await page.goto(`${origin}/`);
      await page.getByRole('button', { name: 'Sample Markdown' }).click();
      await logEntry(page, 'convert-complete: 1 succeeded, 0 failed, 0 canceled').waitFor({
        timeout: 30_000,
      });
      await page.getByText('The markup of this widget').click();
      await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
      const violations = await page.evaluate(async () => {
        const { violations } = await (
          window as unknown as {
            axe: {
              run(): Promise<{
                violations: Array<{ id: string; nodes: Array<{ target: unknown; failureSummary?: string }> }>;
              }>;
            };
          }
        ).axe.run();
        return violations.map(({ id, nodes }) => ({
          id,
          nodes: nodes.map((node) => `${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`),
        }));
      });
      assert.deepEqual(violations, []);
      assert.equal(
        await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
        colorScheme === 'dark',
      );
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  it('links to the states gallery, the React and Vue examples and the script-tag pages, each served', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const examples = page.getByRole('region', { name: 'More to see' });
    const links = await examples
      .getByRole('link')
      .evaluateAll((anchors) =>
        anchors.map((anchor) => [anchor.textContent, (anchor as HTMLAnchorElement).href]),
      );
    assert.deepEqual(
      links.map(([, href]) => new URL(href ?? '').pathname),
      ['/states.html', '/react/', '/vue/', '/cdn-module.html', '/cdn-iife.html'],
    );
    for (const [text, href] of links) {
      const response = await page.request.get(href ?? '');
      assert.equal(response.status(), 200, `${String(text)}: ${String(href)}`);
      assert.match(await response.text(), /<convert-uploader|<div id="(root|app)">/, String(href));
    }
    await page.close();
  });

  it('lays out the widget and the events log side by side when wide, one above the other when narrow', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${origin}/`);
    const widget = page.locator('.widget-card');
    const log = page.getByRole('region', { name: 'Events' });
    const wide = [await widget.boundingBox(), await log.boundingBox()];
    assert.ok(wide[0] && wide[1] && wide[1].x >= wide[0].x + wide[0].width, JSON.stringify(wide));
    await page.setViewportSize({ width: 390, height: 800 });
    const narrow = [await widget.boundingBox(), await log.boundingBox()];
    assert.ok(
      narrow[0] && narrow[1] && narrow[1].y >= narrow[0].y + narrow[0].height,
      JSON.stringify(narrow),
    );
    // Nothing wider than the screen.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
    await page.close();
  });
});
