import { expect } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertUploader, UploadStatus } from '../../src/index.js';
import { addFaults, backendInfo, resetBackend, settled, until } from './support/backend-client.js';
import { fixture, makeFile } from './support/fixture.js';

async function uploader(attributes: Partial<ConvertUploader> = {}): Promise<ConvertUploader> {
  const { convertapiBase } = await backendInfo();
  const el = await fixture<ConvertUploader>(
    html`<convert-uploader
      multiple
      to="pdf"
      formats="pdf,png"
      token-endpoint="/api/convert-token"
      api-base=${convertapiBase}
      max-file-size="1MB"
    ></convert-uploader>`,
  );
  Object.assign(el, attributes);
  await el.updateComplete;
  return el;
}

async function reach(el: ConvertUploader, status: UploadStatus): Promise<void> {
  await until(() => el.items.some((item) => item.status === status), status);
  await el.updateComplete;
}

describe('accessibility: axe finds nothing in any state', function () {
  this.timeout(30_000);

  beforeEach(async () => {
    await resetBackend();
  });

  it('empty', async () => {
    await expect(await uploader()).to.be.accessible();
  });

  it('disabled', async () => {
    await expect(await uploader({ disabled: true })).to.be.accessible();
  });

  it('drag-over', async () => {
    const el = await uploader();
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(makeFile('a.txt'));
    el.shadowRoot!.querySelector('[part="dropzone"]')!.dispatchEvent(
      new DragEvent('dragenter', { dataTransfer, bubbles: true, cancelable: true }),
    );
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.dragging')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('uploading, with a labelled progress bar that carries its value', async () => {
    const el = await uploader();
    await addFaults([
      {
        match: { service: 'convertapi', path: '/upload' },
        times: 1,
        action: { throttleBytesPerSec: 50_000 },
      },
    ]);
    el.addFiles([makeFile('slow.txt', 'x'.repeat(500_000))]);
    await reach(el, 'uploading');
    const bar = el.shadowRoot!.querySelector('progress')!;
    expect(bar.getAttribute('aria-label')).to.equal('Upload of slow.txt');
    expect(bar.max).to.equal(1);
    await expect(el).to.be.accessible();
    el.cancel();
  });

  it('converting, with a busy bar while the service reports no progress', async () => {
    const el = await uploader();
    await addFaults([
      { match: { service: 'convertapi', path: '/convert/*' }, times: 1, action: { delayMs: 3000 } },
    ]);
    el.addFiles([makeFile('a.txt', 'A')]);
    await reach(el, 'converting');
    const bar = el.shadowRoot!.querySelector('progress')!;
    expect(bar.getAttribute('aria-label')).to.equal('Conversion of a.txt');
    expect(bar.hasAttribute('value')).to.equal(false);
    await expect(el).to.be.accessible();
    el.cancel();
  });

  it('done, with result links, previews and the convert-again form', async () => {
    const el = await uploader();
    el.addFiles([makeFile('a.txt', 'A')]);
    await settled(el, 1);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('a[part="result"]')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('error, with the message and a Retry button', async () => {
    const el = await uploader();
    await addFaults([
      {
        match: { service: 'convertapi', path: '/convert/*' },
        times: 1,
        action: { status: 500, body: { Code: 5001, Message: 'Conversion failed.' } },
      },
    ]);
    el.addFiles([makeFile('a.txt', 'A')]);
    await settled(el, 1);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="error"]')?.textContent).to.equal(
      'The conversion failed. Please try again, or check that the file opens.',
    );
    await expect(el).to.be.accessible();
  });

  it('rejected files, listed with their reasons', async () => {
    const el = await uploader();
    el.addFiles([makeFile('empty.txt', ''), makeFile('big.txt', 'x'.repeat(1_000_001))]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="rejections"]')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('announces each phase once through the live region, not every percent', async () => {
    const el = await uploader();
    const region = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    const announcements: string[] = [];
    const observer = new MutationObserver(() => announcements.push(region.textContent.trim()));
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    el.addFiles([makeFile('a.txt', 'A')]);
    await settled(el, 1);
    await el.updateComplete;
    observer.disconnect();
    const distinct = announcements.filter((text, index) => text !== announcements[index - 1]);
    expect(distinct).to.include('a.txt: Uploading');
    expect(distinct.at(-1)).to.equal('a.txt: Done');
    expect(distinct.length).to.be.at.most(4);
  });
});
