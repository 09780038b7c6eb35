import { expect } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertUploader, UploadItem } from '../../src/index.js';
import { formatDuration } from '../../src/element/intl-format.js';
import { UploadPace } from '../../src/element/upload-pace.js';
import { addFaults, backendInfo, resetBackend, settled, until } from './support/backend-client.js';
import { fixture, makeFile, pngFile } from './support/fixture.js';

async function uploader(template: ReturnType<typeof html>): Promise<ConvertUploader> {
  const el = await fixture<ConvertUploader>(template);
  el.apiBase = (await backendInfo()).convertapiBase;
  await el.updateComplete;
  return el;
}

const root = (el: ConvertUploader) => el.shadowRoot!;
const batchButtons = (el: ConvertUploader) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('.batch button')].map((button) =>
    button.textContent.trim(),
  );
const batchButton = (el: ConvertUploader, label: string) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('.batch button')].find(
    (button) => button.textContent.trim() === label,
  )!;
const liveText = (el: ConvertUploader) => root(el).querySelector('[aria-live="polite"]')!.textContent.trim();

describe('file rows and the batch bar', function () {
  this.timeout(30_000);

  beforeEach(async () => {
    await resetBackend();
  });

  it('with auto-start off, offers "Convert 3 files", which starts them all', async () => {
    const el = await uploader(
      html`<convert-uploader
        multiple
        auto-start="false"
        to="pdf"
        token-endpoint="/api/convert-token"
      ></convert-uploader>`,
    );
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B'), makeFile('c.txt', 'C')]);
    await el.updateComplete;
    expect(root(el).querySelector('[part="summary"]')!.textContent).to.equal('0 of 3 done');
    expect(batchButtons(el)).to.deep.equal(['Convert 3 files']);
    batchButton(el, 'Convert 3 files').click();
    const items = await settled(el, 3);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
    await el.updateComplete;
    expect(root(el).querySelector('[part="summary"]')!.textContent).to.equal('3 of 3 done');
    expect(batchButtons(el)).to.deep.equal(['Clear finished']);
  });

  it('shows no batch bar for one file that starts by itself', async () => {
    const el = await uploader(
      html`<convert-uploader multiple to="pdf" token-endpoint="/api/convert-token"></convert-uploader>`,
    );
    el.addFiles([makeFile('a.txt', 'A')]);
    await settled(el, 1);
    await el.updateComplete;
    expect(root(el).querySelector('.batch')).to.equal(null);
  });

  it('retries every failed file at once, and clears the finished ones with an announcement, keeping the focus inside', async () => {
    const el = await uploader(
      html`<convert-uploader multiple to="pdf" token-endpoint="/api/convert-token"></convert-uploader>`,
    );
    await addFaults([
      {
        match: { service: 'convertapi', path: '/convert/*' },
        times: 2,
        action: { status: 500, body: { Code: 5001, Message: 'Conversion failed.' } },
      },
    ]);
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
    await settled(el, 2);
    await el.updateComplete;
    expect(root(el).querySelector('[part="summary"]')!.textContent).to.equal('0 of 2 done · 2 failed');
    batchButton(el, 'Retry failed').click();
    await until(() => el.items.every((item) => item.status === 'done'), 'both files converted on retry');
    await el.updateComplete;

    const clear = batchButton(el, 'Clear finished');
    clear.focus();
    clear.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(el.items).to.have.length(0);
    expect(liveText(el)).to.equal('2 files removed');
    expect(root(el).activeElement).to.equal(root(el).querySelector('[part="dropzone"] button'));
  });

  it('cancels every file at work at once', async () => {
    const el = await uploader(
      html`<convert-uploader multiple to="pdf" token-endpoint="/api/convert-token"></convert-uploader>`,
    );
    await addFaults([
      { match: { service: 'convertapi', path: '/convert/*' }, times: 2, action: { delayMs: 10_000 } },
    ]);
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
    await until(() => el.items.every((item) => item.status === 'converting'), 'both converting');
    await el.updateComplete;
    batchButton(el, 'Cancel all').click();
    expect(el.items.map((item) => item.status)).to.deep.equal(['canceled', 'canceled']);
  });

  it('shows bytes sent of the total and the percent while uploading, and never says a percent aloud', async () => {
    const el = await uploader(
      html`<convert-uploader multiple to="pdf" token-endpoint="/api/convert-token"></convert-uploader>`,
    );
    await addFaults([
      {
        match: { service: 'convertapi', path: '/upload' },
        times: 1,
        action: { throttleBytesPerSec: 50_000 },
      },
    ]);
    const spoken: string[] = [];
    new MutationObserver(() => spoken.push(liveText(el))).observe(root(el), {
      subtree: true,
      characterData: true,
      childList: true,
    });
    el.addFiles([makeFile('slow.txt', 'x'.repeat(400_000))]);
    await until(
      () => el.items[0]?.status === 'uploading' && el.items[0].uploadProgress > 0,
      'upload progress',
    );
    await el.updateComplete;
    const text = root(el).querySelector('[part="progress-text"]')!.textContent;
    expect(text).to.match(/^\d+% · [\d.]+ (bytes|kB) of 400 kB/);
    el.cancel();
    expect(spoken.filter((said) => said.includes('%'))).to.deep.equal([]);
  });

  it('shows a thumbnail made from an image file, and frees it when the file is removed', async () => {
    const el = await uploader(
      html`<convert-uploader
        multiple
        auto-start="false"
        to="pdf"
        token-endpoint="/api/convert-token"
      ></convert-uploader>`,
    );
    const [photo] = el.addFiles([await pngFile('photo.png'), makeFile('notes.md', '# Notes')]);
    await el.updateComplete;
    const thumbnail = root(el).querySelector<HTMLImageElement>('img[part="thumbnail"]')!;
    expect(thumbnail.src).to.match(/^blob:/);
    expect(thumbnail.alt).to.equal('');
    expect((await fetch(thumbnail.src)).ok).to.equal(true);
    const icon = root(el).querySelector('[part="icon"]')!;
    expect(icon.textContent).to.equal('MD');
    expect(icon.getAttribute('data-kind')).to.equal('doc');

    el.remove(photo!.id);
    await el.updateComplete;
    expect(root(el).querySelector('img[part="thumbnail"]')).to.equal(null);
    let freed = false;
    await fetch(thumbnail.src).catch(() => (freed = true));
    expect(freed, 'the object URL was revoked').to.equal(true);
  });

  it('keeps the end of a long name whole and shows the full name on hover', async () => {
    const el = await uploader(
      html`<convert-uploader
        multiple
        auto-start="false"
        to="pdf"
        token-endpoint="/api/convert-token"
        style="width: 320px"
      ></convert-uploader>`,
    );
    const name = `${'quarterly-report-'.repeat(6)}final.docx`;
    el.addFiles([makeFile(name, 'x')]);
    await el.updateComplete;
    const shown = root(el).querySelector<HTMLElement>('[part="file-name"]')!;
    const start = shown.querySelector<HTMLElement>('.start')!;
    expect(shown.textContent).to.equal(name);
    expect(shown.title).to.equal(name);
    expect(shown.querySelector('.end')!.textContent).to.equal('final.docx');
    expect(start.scrollWidth, 'the start is cut').to.be.greaterThan(start.clientWidth);

    // A character made of two UTF-16 units where the end begins stays whole.
    el.addFiles([makeFile(`${'a'.repeat(40)}😀bcdef.txt`, 'x')]);
    await el.updateComplete;
    const ends = [...root(el).querySelectorAll('[part="file-name"] .end')].map((end) => end.textContent);
    expect(ends[1]).to.equal('😀bcdef.txt');
  });

  it('offers "open" beside "download" for results a browser shows, with the service\'s link that shows it', async () => {
    const el = await uploader(
      html`<convert-uploader multiple to="pdf" token-endpoint="/api/convert-token"></convert-uploader>`,
    );
    el.addFiles([makeFile('a.txt', 'A')]);
    await settled(el, 1);
    await el.updateComplete;
    const open = root(el).querySelector<HTMLAnchorElement>('a[part="open"]')!;
    const download = root(el).querySelector<HTMLAnchorElement>('a[part="result"]')!;
    const view = new URL(download.href);
    view.searchParams.set('download', 'inline');
    expect(open.href).to.equal(view.href);
    const shown = await fetch(open.href);
    expect(shown.headers.get('content-disposition')).to.match(/^inline/);
    expect((await fetch(download.href)).headers.get('content-disposition')).to.match(/^attachment/);
    expect(open.target).to.equal('_blank');
    expect(open.rel).to.equal('noopener noreferrer');
    expect(open.getAttribute('aria-label')).to.equal('Open a.pdf');
  });

  it('lays the drop zone out on one line with layout="compact"', async () => {
    const el = await uploader(html`<convert-uploader layout="compact"></convert-uploader>`);
    const zone = root(el).querySelector<HTMLElement>('[part="dropzone"]')!;
    expect(getComputedStyle(zone).flexWrap).to.equal('nowrap');
    el.layout = 'default';
    await el.updateComplete;
    expect(el.getAttribute('layout')).to.equal('default');
    expect(getComputedStyle(zone).flexWrap).to.equal('wrap');
  });
});

describe('event order', function () {
  this.timeout(30_000);

  it('sends no progress for a file after its error', async () => {
    await resetBackend();
    const el = await uploader(
      html`<convert-uploader multiple to="pdf" token-endpoint="/api/convert-token"></convert-uploader>`,
    );
    // Several files, since the late report showed only when the error came in the frame of a progress report.
    const names = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt', 'f.txt'];
    await addFaults([
      {
        match: { service: 'convertapi', path: '/convert/*' },
        times: names.length,
        action: { status: 500, body: { Code: 5001, Message: 'Conversion failed.' } },
      },
    ]);
    const late: string[] = [];
    const failed = new Set<string>();
    el.addEventListener('convert-error', (event) => failed.add(event.detail.item.name));
    el.addEventListener('convert-progress', (event) => {
      const { item, phase } = event.detail;
      if (failed.has(item.name)) late.push(`${item.name} ${phase}`);
    });
    el.addFiles(names.map((name) => makeFile(name, name)));
    await settled(el, names.length);
    // Two more frames: a progress report held for a frame would arrive now.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(failed.size).to.equal(names.length);
    expect(late).to.deep.equal([]);
  });
});

describe('the time an upload has left', () => {
  const uploading = (progress: number): UploadItem => ({
    id: 'file-1',
    name: 'a.txt',
    size: 1000,
    type: 'text/plain',
    status: 'uploading',
    uploadProgress: progress,
    convertProgress: null,
  });

  it('is unknown at first, then follows the pace since the upload was first seen', () => {
    const pace = new UploadPace();
    expect(pace.secondsLeft(uploading(0.2), 0)).to.equal(undefined);
    expect(pace.secondsLeft(uploading(0.25), 500), 'too soon to tell').to.equal(undefined);
    // 0.2 → 0.4 in 2 s: 0.1 per second, 0.6 to go.
    expect(pace.secondsLeft(uploading(0.4), 2000)).to.equal(6);
  });

  it('forgets an upload that stopped uploading, and starts again when it comes back', () => {
    const pace = new UploadPace();
    pace.secondsLeft(uploading(0), 0);
    expect(pace.secondsLeft({ ...uploading(0.5), status: 'error' }, 1000)).to.equal(undefined);
    expect(pace.secondsLeft(uploading(0), 5000)).to.equal(undefined);
    expect(pace.secondsLeft(uploading(0.5), 7000)).to.equal(2);
  });

  it("is written short, in the visitor's language", () => {
    expect(formatDuration(7, 'en')).to.equal('7 sec');
    expect(formatDuration(600, 'en')).to.equal('10 min');
    expect(formatDuration(7200, 'de')).to.equal('2 Std.');
  });
});
