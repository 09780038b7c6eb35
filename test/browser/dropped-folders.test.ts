// Folders dropped on the element, through a real Chromium drag (DevTools protocol, paths on disk):
// a script-made DataTransfer cannot hold folders, so these drops come from the `drop-paths` command.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { html } from 'lit';
import type { ConvertRejectedDetail, ConvertUploader } from '../../src/index.js';
import { backendInfo, resetBackend, settled, until } from './support/backend-client.js';
import { fixture } from './support/fixture.js';
import { firstBytes } from './support/results.js';
import { filesOfEntries } from '../../src/element/dropped-folders.js';

const dropzone = 'convert-uploader [part="dropzone"]';

/** Writes `files` (relative path → text) to a temporary folder and drops its top-level entries. */
async function dropPaths(files: Record<string, string>, selector = dropzone): Promise<void> {
  await executeServerCommand('drop-paths', { selector, files });
}

function fileNames(el: ConvertUploader): string[] {
  return [...el.shadowRoot!.querySelectorAll('[part="file-list"] [part="file-name"]')].map(
    (node) => node.textContent,
  );
}

interface Rejected {
  name: string;
  code: ConvertRejectedDetail['code'];
}

/** The element's `convert-rejected` events from now on, by file name and code. */
function rejections(el: ConvertUploader): Rejected[] {
  const seen: Rejected[] = [];
  el.addEventListener('convert-rejected', (event) => {
    const { file, code } = event.detail;
    seen.push({ name: file.name, code });
  });
  return seen;
}

describe('dropped folders (real Chromium drag with paths on disk)', function () {
  this.timeout(30_000);

  beforeEach(async () => {
    await resetBackend();
  });

  afterEach(async () => {
    await executeServerCommand('remove-dropped-paths');
  });

  it('adds the files of a dropped folder, nested ones included, rejects what accept refuses, and converts them', async () => {
    const { convertapiBase } = await backendInfo();
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader
        provider="convertapi"
        to="pdf"
        multiple
        accept=".txt,.md"
        token-endpoint="/api/convert-token"
        api-base=${convertapiBase}
      ></convert-uploader>`,
    );
    const rejected = rejections(el);
    await dropPaths({
      'trip/itinerary.txt': 'Day 1: arrive',
      'trip/notes/packing.md': '# Packing',
      'trip/notes/days/day-2.txt': 'Day 2: walk',
      'trip/notes/days/map.exe': 'MZ',
      'trip/empty/': '',
      'loose.txt': 'beside the folder',
    });
    await until(() => el.items.length === 4, 'the files of the dropped folder');
    expect(el.items.map((item) => item.name).sort()).to.deep.equal([
      'day-2.txt',
      'itinerary.txt',
      'loose.txt',
      'packing.md',
    ]);
    expect(el.items.find((item) => item.name === 'day-2.txt')?.size).to.equal('Day 2: walk'.length);
    expect(rejected).to.deep.equal([{ name: 'map.exe', code: 'file-type-not-accepted' }]);
    await el.updateComplete;
    expect(fileNames(el).sort()).to.deep.equal(['day-2.txt', 'itinerary.txt', 'loose.txt', 'packing.md']);
    expect(el.shadowRoot!.querySelector('[part="rejections"]')?.textContent).to.contain('map.exe');

    const items = await settled(el, 4);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done', 'done']);
    for (const item of items) {
      expect(item.results?.[0]?.name).to.equal(item.name.replace(/\.\w+$/, '.pdf'));
      expect(await firstBytes(item.results![0]!.url)).to.equal('%PDF-');
    }
  });

  it('takes no more than max-files from nested folders, in name order, and says the rest did not fit', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple auto-start="false" max-files="3"></convert-uploader>`,
    );
    const rejected = rejections(el);
    await dropPaths({
      'photos/e/e.txt': 'e',
      'photos/d.txt': 'd',
      'photos/b/c/c.txt': 'c',
      'photos/b/b.txt': 'b',
      'photos/a.txt': 'a',
    });
    await until(() => rejected.length > 0, 'the too-many-files rejection');
    expect(el.items.map((item) => item.name)).to.deep.equal(['a.txt', 'b.txt', 'c.txt']);
    expect(rejected).to.deep.equal([{ name: 'd.txt', code: 'too-many-files' }]);

    await dropPaths({ 'more/f.txt': 'f', 'more/g.txt': 'g' });
    await until(() => rejected.length > 1, 'the second rejection');
    expect(rejected[1]).to.deep.equal({ name: 'f.txt', code: 'too-many-files' });
    expect(el.items).to.have.length(3);
  });

  it('reads folders of more than 100 entries (readEntries answers in batches)', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple auto-start="false"></convert-uploader>`,
    );
    const files: Record<string, string> = {};
    for (let index = 1; index <= 150; index += 1) files[`many/file-${index}.txt`] = `file ${index}`;
    await dropPaths(files);
    await until(() => el.items.length === 150, 'all 150 files');
    expect(el.items.slice(0, 3).map((item) => item.name)).to.deep.equal([
      'file-1.txt',
      'file-2.txt',
      'file-3.txt',
    ]);
    expect(new Set(el.items.map((item) => item.name)).size).to.equal(150);
  });

  it('filesOfEntries: files that do not count (refused anyway) do not use up the limit', async () => {
    const target = await fixture<HTMLDivElement>(
      html`<div id="folder-drop-target" style="width: 200px; height: 100px"></div>`,
    );
    const results: Promise<string[]>[] = [];
    for (const type of ['dragenter', 'dragover']) {
      target.addEventListener(type, (event) => {
        event.preventDefault();
      });
    }
    target.addEventListener('drop', (event) => {
      event.preventDefault();
      const names = (files: File[]) => files.map((file) => file.name);
      const entries = [...event.dataTransfer!.items].map((item) => item.webkitGetAsEntry());
      results.push(filesOfEntries(entries, 3).then(names));
      results.push(filesOfEntries(entries, 3, (file) => file.name.endsWith('.txt')).then(names));
    });
    await dropPaths(
      {
        'mixed/a.exe': 'MZ',
        'mixed/b.exe': 'MZ',
        'mixed/c.exe': 'MZ',
        'mixed/d.txt': 'd',
        'mixed/e/e.txt': 'e',
        'mixed/f.txt': 'f',
        'mixed/g.txt': 'g',
      },
      '#folder-drop-target',
    );
    await until(() => results.length === 2, 'the drop');
    const [everyFile, textOnly] = await Promise.all(results);
    expect(everyFile).to.deep.equal(['a.exe', 'b.exe', 'c.exe']);
    expect(textOnly).to.deep.equal(['a.exe', 'b.exe', 'c.exe', 'd.txt', 'e.txt', 'f.txt']);
  });

  // Needs convert-uploader.ts to pass the restrictions to filesOfEntries (its third argument) in
  // handleDrop; until then the three refused files use up the room and neither text file is added.
  it('does not let refused files use up the room that max-files leaves', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple auto-start="false" max-files="2" accept=".txt"></convert-uploader>`,
    );
    const rejected = rejections(el);
    await dropPaths({
      'mixed/a.exe': 'MZ',
      'mixed/b.exe': 'MZ',
      'mixed/c.exe': 'MZ',
      'mixed/d.txt': 'd',
      'mixed/e.txt': 'e',
      'mixed/f.txt': 'f',
    });
    await until(() => rejected.length === 4, 'the rejections');
    expect(el.items.map((item) => item.name)).to.deep.equal(['d.txt', 'e.txt']);
    expect(rejected.map((rejection) => rejection.code)).to.deep.equal([
      'file-type-not-accepted',
      'file-type-not-accepted',
      'file-type-not-accepted',
      'too-many-files',
    ]);
  });
});
