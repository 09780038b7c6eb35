import { expect } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertUploader } from '../../src/index.js';
import {
  addFaults,
  backendInfo,
  logMark,
  resetBackend,
  sandboxRequests,
  settled,
  until,
} from './support/backend-client.js';
import { fixture, makeFile, pngFile } from './support/fixture.js';

interface Rejected {
  file: { name: string; size: number; type: string };
  code: string;
}

async function uploader(template: ReturnType<typeof html>): Promise<ConvertUploader> {
  const el = await fixture<ConvertUploader>(template);
  el.apiBase = (await backendInfo()).convertapiBase;
  await el.updateComplete;
  return el;
}

function part(el: ConvertUploader, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

function pickerOptions(el: ConvertUploader): string[] {
  const select = el.shadowRoot!.querySelector<HTMLSelectElement>('.picker select');
  return [...(select?.options ?? [])].map((option) => option.value);
}

describe('the widget: input, restrictions, formats, results, forms, languages', function () {
  this.timeout(30_000);

  beforeEach(async () => {
    await resetBackend();
  });

  it('takes files pasted while it has focus', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple auto-start="false"></convert-uploader>`,
    );
    part(el, 'button')[0]!.focus();
    const clipboardData = new DataTransfer();
    clipboardData.items.add(makeFile('pasted.txt', 'from the clipboard'));
    const paste = new ClipboardEvent('paste', {
      clipboardData,
      bubbles: true,
      cancelable: true,
      composed: true,
    });
    part(el, 'button')[0]!.dispatchEvent(paste);
    expect(paste.defaultPrevented).to.equal(true);
    expect(el.items.map((item) => item.name)).to.deep.equal(['pasted.txt']);
  });

  it('rejects files that break a restriction, says why by name, and queues the others', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader
        multiple
        auto-start="false"
        accept=".txt,image/*"
        max-file-size="1KB"
        max-files="2"
      ></convert-uploader>`,
    );
    const rejected: Rejected[] = [];
    el.addEventListener('convert-rejected', (event) =>
      rejected.push((event as CustomEvent<Rejected>).detail),
    );
    el.addFiles([
      makeFile('ok.txt', 'fine'),
      makeFile('big.txt', 'x'.repeat(1001)),
      makeFile('empty.txt', ''),
      makeFile('song.mp3', 'id3', 'audio/mpeg'),
      makeFile('photo.png', 'png', 'image/png'),
      makeFile('third.txt', 'one too many'),
    ]);
    expect(el.items.map((item) => item.name)).to.deep.equal(['ok.txt', 'photo.png']);
    expect(rejected.map(({ file, code }) => `${file.name}:${code}`)).to.deep.equal([
      'big.txt:file-too-large',
      'empty.txt:empty-file',
      'song.mp3:file-type-not-accepted',
      'third.txt:too-many-files',
    ]);
    await el.updateComplete;
    const shown = part(el, 'rejections')[0]!.textContent.replace(/\s+/g, ' ');
    expect(shown).to.contain('big.txt: Larger than 1 kB.');
    expect(shown).to.contain('third.txt: No more than 2 files.');
    expect(shown).to.contain('song.mp3: This type of file is not accepted.');
  });

  it('offers in the picker only the formats the service converts the chosen files to', async () => {
    const el = await uploader(
      html`<convert-uploader multiple auto-start="false" formats="pdf,png,docx" to="pdf"></convert-uploader>`,
    );
    expect(pickerOptions(el)).to.deep.equal(['pdf', 'png', 'docx']);
    el.addFiles([makeFile('notes.txt', 'text')]);
    await until(() => pickerOptions(el).length === 1, 'the catalogue');
    expect(pickerOptions(el)).to.deep.equal(['pdf']);
    el.clear();
    el.addFiles([await pngFile('picture.png')]);
    await until(() => pickerOptions(el).join() === 'pdf,png', 'the catalogue for png');
  });

  it('reads CloudConvert’s catalogue (/convert/formats) for the picker too', async () => {
    const { cloudconvert } = await backendInfo();
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader
        provider="cloudconvert"
        api-base=${cloudconvert.api}
        multiple
        auto-start="false"
        formats="pdf,png,docx"
        to="pdf"
      ></convert-uploader>`,
    );
    el.addFiles([makeFile('notes.txt', 'text')]);
    await until(() => pickerOptions(el).length === 1, 'the catalogue');
    expect(pickerOptions(el)).to.deep.equal(['pdf']);
  });

  it('flags a file the service cannot convert on arrival, before any upload', async () => {
    const el = await uploader(
      html`<convert-uploader auto-start="false" formats="pdf,docx" to="docx"></convert-uploader>`,
    );
    const mark = await logMark();
    el.addFiles([makeFile('notes.txt', 'text')]);
    await until(() => el.items[0]?.status === 'error', 'the flag');
    expect(el.items[0]?.error?.code).to.equal('conversion-unsupported');
    // At most the catalogue read: the page shares one read per format, which an earlier test may have made.
    const calls = (await sandboxRequests(mark)).filter((entry) => entry.method !== 'OPTIONS');
    expect(calls.map((entry) => entry.path.split('?')[0])).to.satisfy(
      (paths: string[]) => paths.length <= 1 && paths.every((path) => path === '/info/txt/to/*'),
    );
  });

  it('converts a result again to another format without a second upload, and shows previews and expiry', async () => {
    const el = await uploader(
      html`<convert-uploader
        multiple
        formats="jpg,webp,pdf"
        to="jpg"
        token-endpoint="/api/convert-token"
      ></convert-uploader>`,
    );
    const mark = await logMark();
    el.addFiles([await pngFile('picture.png', 16)]);
    await settled(el, 1);
    await el.updateComplete;
    expect(part(el, 'preview')[0]?.getAttribute('alt')).to.equal('Preview of picture.jpg');
    expect(part(el, 'expiry')[0]?.textContent).to.match(/^Link expires in 3 hours$/);
    const again = el.shadowRoot!.querySelector<HTMLSelectElement>('form.again select')!;
    expect([...again.options].map((option) => option.value)).to.deep.equal(['webp', 'pdf']);
    again.value = 'webp';
    el.shadowRoot!.querySelector<HTMLButtonElement>('form.again button')!.click();
    const items = await settled(el, 2);
    expect(items.map((item) => item.results?.[0]?.name)).to.deep.equal(['picture.jpg', 'picture.webp']);
    const calls = (await sandboxRequests(mark)).filter((entry) => entry.method === 'POST');
    expect(calls.map((entry) => entry.path.split('?')[0])).to.deep.equal([
      '/upload',
      '/convert/png/to/jpg',
      '/convert/png/to/webp',
    ]);
  });

  it('is a form field: blocks submission while converting, then submits each result URL', async () => {
    const { convertapiBase } = await backendInfo();
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <convert-uploader
          name="converted"
          required
          multiple
          to="pdf"
          token-endpoint="/api/convert-token"
          api-base=${convertapiBase}
        ></convert-uploader>
      </form>`,
    );
    const el = form.querySelector('convert-uploader')!;
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(false);
    expect(el.validity.valueMissing).to.equal(true);

    await addFaults([
      { match: { service: 'convertapi', path: '/convert/*' }, times: 1, action: { delayMs: 1500 } },
    ]);
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(false);
    expect(el.validity.customError).to.equal(true);
    expect(el.validationMessage).to.equal('Please wait until the conversions finish.');

    const items = await settled(el, 2);
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(true);
    const submitted = new FormData(form).getAll('converted');
    expect(submitted).to.deep.equal(items.map((item) => item.results![0]!.url));

    form.reset();
    await el.updateComplete;
    expect(el.items).to.have.length(0);
    expect(new FormData(form).getAll('converted')).to.deep.equal([]);
  });

  it('speaks the language of its lang attribute, or of the nearest ancestor', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="ja">
        <convert-uploader multiple></convert-uploader><convert-uploader lang="de" multiple></convert-uploader>
      </div>`,
    );
    const [japanese, german] = [...wrapper.querySelectorAll('convert-uploader')];
    await until(
      () => part(german!, 'button')[0]?.textContent.trim() === 'Dateien auswählen',
      'German strings',
    );
    await until(
      () => part(japanese!, 'button')[0]?.textContent.trim() === 'ファイルを選択',
      'Japanese strings',
    );
    german!.lang = 'fr';
    await until(
      () => part(german!, 'button')[0]?.textContent.trim() === 'Choisir des fichiers',
      'French strings',
    );
    expect(part(german!, 'dropzone')[0]?.getAttribute('aria-label')).to.equal('Fichiers à convertir');
    // The other element still follows its ancestor.
    expect(part(japanese!, 'button')[0]?.textContent.trim()).to.equal('ファイルを選択');
  });

  it('takes overrides of single strings, also inside the nested maps', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple to="pdf" api-base="http://127.0.0.1:9/nowhere"></convert-uploader>`,
    );
    el.strings = { chooseFiles: 'Pick documents', errors: { network: 'Offline?' } };
    await el.updateComplete;
    expect(part(el, 'button')[0]?.textContent.trim()).to.equal('Pick documents');
    el.addFiles([makeFile('a.txt', 'A')]);
    await settled(el, 1);
    expect(el.items[0]?.error).to.include({ code: 'network', message: 'Offline?' });
    await el.updateComplete;
    expect(part(el, 'error')[0]?.textContent).to.equal('Offline?');
    expect(part(el, 'status')[0]?.textContent).to.equal('Failed');
  });

  it('lays itself out right to left under dir="rtl"', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div dir="rtl" lang="en"><convert-uploader></convert-uploader></div>`,
    );
    const el = wrapper.querySelector('convert-uploader')!;
    const dropzone = part(el, 'dropzone')[0]!;
    expect(getComputedStyle(dropzone).direction).to.equal('rtl');
    const hint = dropzone.querySelector('span')!.getBoundingClientRect();
    const button = part(el, 'button')[0]!.getBoundingClientRect();
    expect(button.right).to.be.at.most(hint.left + 1);
  });

  it('keeps each row, and the focus in it, with its file when another file is removed', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple auto-start="false"></convert-uploader>`,
    );
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B'), makeFile('c.txt', 'C')]);
    el.cancel();
    await el.updateComplete;
    const rowOf = (name: string) =>
      [...el.shadowRoot!.querySelectorAll('[part="file"]')].find((row) =>
        row.querySelector('[part="file-name"]')?.textContent.includes(name),
      );
    const rowOfC = rowOf('c.txt')!;
    const retryC = el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Retry c.txt"]')!;
    retryC.focus();
    el.remove(el.items[0]!.id);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part="file"]')).to.have.length(2);
    expect(rowOf('c.txt')).to.equal(rowOfC);
    expect(el.shadowRoot!.activeElement).to.equal(retryC);
  });

  it('moves focus to the next file when a row is removed with its button', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple auto-start="false"></convert-uploader>`,
    );
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
    el.cancel();
    await el.updateComplete;
    const remove = el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Remove a.txt"]')!;
    remove.focus();
    remove.click();
    await until(
      () => el.shadowRoot!.activeElement?.getAttribute('aria-label') === 'Retry b.txt',
      'focus on b.txt',
    );
    expect(el.items.map((item) => item.name)).to.deep.equal(['b.txt']);
  });
});
