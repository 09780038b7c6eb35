import { expect, fixture } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertUploader } from '../../src/index.js';
import { backendInfo, resetBackend, settled, tokenCalls } from './support/backend-client.js';
import { expectCleanPages } from './support/clean-page.js';
import { makeFile } from './support/fixture.js';

const working = new Set(['authorizing', 'uploading', 'converting']);

describe('load: 50 widgets on one page converting 200 files together', function () {
  this.timeout(120_000);
  expectCleanPages();

  beforeEach(async () => {
    await resetBackend();
  });

  it('respects each widget’s concurrency, asks the token endpoint once per widget, and every file converts', async () => {
    const { convertapiBase } = await backendInfo();
    const page = await fixture<HTMLDivElement>(
      html`<div>
        ${Array.from(
          { length: 50 },
          () =>
            html`<convert-uploader
              multiple
              to="pdf"
              concurrency="2"
              token-endpoint="/__test/token/counted"
              api-base=${convertapiBase}
            ></convert-uploader>`,
        )}
      </div>`,
    );
    const widgets = [...page.querySelectorAll<ConvertUploader>('convert-uploader')];
    await Promise.all(widgets.map((widget) => widget.updateComplete));

    const heap = () =>
      (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
    const heapBefore = heap();
    let heapPeak = heapBefore;
    let mostAtOnce = 0;
    const sample = setInterval(() => {
      for (const widget of widgets) {
        mostAtOnce = Math.max(mostAtOnce, widget.items.filter((item) => working.has(item.status)).length);
      }
      heapPeak = Math.max(heapPeak, heap());
    }, 5);
    widgets.forEach((widget, index) => {
      widget.addFiles(
        Array.from({ length: 4 }, (_, file) => makeFile(`w${index}-f${file}.txt`, `${index}/${file}`)),
      );
    });
    const outcomes = await Promise.all(widgets.map((widget) => settled(widget, 4, 110_000)));
    clearInterval(sample);

    expect(outcomes.flat().filter((item) => item.status !== 'done')).to.deep.equal([]);
    expect(mostAtOnce).to.be.within(1, 2);
    expect((await tokenCalls())['counted']).to.equal(50);
    // Steady memory: 200 conversions hold tens of kilobytes of state, not megabytes per file.
    expect(heapPeak - heapBefore, 'heap growth in bytes').to.be.below(64 * 1024 * 1024);
    widgets.forEach((widget) => {
      widget.clear();
    });
  });
});
