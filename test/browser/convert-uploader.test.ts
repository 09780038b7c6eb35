import { expect, oneEvent } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import type { ConvertAddedEvent, ConvertUploader } from '../../src/index.js';
import { until } from './support/backend-client.js';
import { fixture, makeFile } from './support/fixture.js';

function shadow(el: ConvertUploader): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

function button(el: ConvertUploader): HTMLButtonElement {
  const found = shadow(el).querySelector<HTMLButtonElement>('[part="button"]');
  if (!found) throw new Error('no button');
  return found;
}

function fileNames(el: ConvertUploader): string[] {
  return [...shadow(el).querySelectorAll('[part="file-list"] [part="file-name"]')].map(
    (node) => node.textContent,
  );
}

function drop(target: Element, files: File[]): void {
  const dataTransfer = new DataTransfer();
  for (const file of files) dataTransfer.items.add(file);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    target.dispatchEvent(
      new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true, composed: true }),
    );
  }
}

describe('<convert-uploader>', () => {
  it('is registered and renders a labelled drop zone with a button and no file list', async () => {
    const el = await fixture<ConvertUploader>(html`<convert-uploader></convert-uploader>`);
    expect(customElements.get('convert-uploader')).to.equal(el.constructor);
    const dropzone = shadow(el).querySelector('[part="dropzone"]');
    expect(dropzone?.getAttribute('aria-label')).to.equal('Files to convert');
    expect(button(el).textContent.trim()).to.equal('Choose a file');
    expect(shadow(el).querySelector('[part="file-list"]')).to.equal(null);
    expect(shadow(el).querySelector('[aria-live="polite"]')).to.not.equal(null);
  });

  it('opens the picker from the keyboard: Tab to the button, then Enter or Space', async () => {
    const el = await fixture<ConvertUploader>(html`<convert-uploader multiple></convert-uploader>`);
    const input = shadow(el).querySelector('input[type="file"]');
    let pickerOpened = 0;
    input?.addEventListener('click', (event) => {
      pickerOpened += 1;
      event.preventDefault();
    });
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement).to.equal(button(el));
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Space' });
    expect(pickerOpened).to.equal(2);
  });

  it('lists files chosen in the real picker and fires convert-added', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader multiple auto-start="false"></convert-uploader>`,
    );
    const added = oneEvent<ConvertAddedEvent>(el, 'convert-added');
    await executeServerCommand('pick-files', {
      selector: 'convert-uploader input[type=file]',
      files: [
        { name: 'report.txt', type: 'text/plain', content: 'hello' },
        { name: 'notes.md', type: 'text/markdown', content: '# notes' },
      ],
    });
    const event = await added;
    expect(event.detail.items.map((item) => item.name)).to.deep.equal(['report.txt', 'notes.md']);
    expect(event.detail.items[0]).to.include({
      size: 5,
      type: 'text/plain',
      status: 'queued',
      uploadProgress: 0,
    });
    await el.updateComplete;
    expect(fileNames(el)).to.deep.equal(['report.txt', 'notes.md']);
    expect(el.items).to.have.length(2);
    expect(shadow(el).querySelector('[role="status"]')?.textContent).to.equal('2 files added');
  });

  it('takes dropped files and shows a drag-over state while files hover', async () => {
    const el = await fixture<ConvertUploader>(html`<convert-uploader multiple></convert-uploader>`);
    const dropzone = shadow(el).querySelector('[part="dropzone"]');
    if (!dropzone) throw new Error('no dropzone');
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(makeFile('a.txt'));
    dropzone.dispatchEvent(new DragEvent('dragenter', { dataTransfer, bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(dropzone.classList.contains('dragging')).to.equal(true);
    drop(dropzone, [makeFile('a.txt'), makeFile('b.txt')]);
    await until(() => el.items.length === 2, 'the dropped files');
    await el.updateComplete;
    expect(dropzone.classList.contains('dragging')).to.equal(false);
    expect(fileNames(el)).to.deep.equal(['a.txt', 'b.txt']);
  });

  it('keeps only one file unless multiple is set', async () => {
    const el = await fixture<ConvertUploader>(html`<convert-uploader></convert-uploader>`);
    el.addFiles([makeFile('first.txt'), makeFile('second.txt')]);
    el.addFiles([makeFile('third.txt')]);
    await el.updateComplete;
    expect(fileNames(el)).to.deep.equal(['third.txt']);
  });

  it('accepts nothing while disabled', async () => {
    const el = await fixture<ConvertUploader>(html`<convert-uploader disabled multiple></convert-uploader>`);
    expect(button(el).disabled).to.equal(true);
    drop(shadow(el).querySelector('[part="dropzone"]')!, [makeFile('a.txt')]);
    expect(el.addFiles([makeFile('b.txt')])).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await el.updateComplete;
    expect(el.items).to.have.length(0);
  });

  it('reflects attributes to properties and back', async () => {
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader
        provider="cloudconvert"
        token-endpoint="/api/token"
        to="pdf"
        accept=".txt,image/*"
        multiple
      ></convert-uploader>`,
    );
    expect(el.provider).to.equal('cloudconvert');
    expect(el.tokenEndpoint).to.equal('/api/token');
    expect(el.to).to.equal('pdf');
    expect(el.accept).to.equal('.txt,image/*');
    expect(el.multiple).to.equal(true);
    expect(shadow(el).querySelector('input')?.getAttribute('accept')).to.equal('.txt,image/*');

    el.provider = 'convertapi';
    el.tokenEndpoint = '/other';
    el.to = 'png';
    el.disabled = true;
    el.multiple = false;
    await el.updateComplete;
    expect(el.getAttribute('provider')).to.equal('convertapi');
    expect(el.getAttribute('token-endpoint')).to.equal('/other');
    expect(el.getAttribute('to')).to.equal('png');
    expect(el.hasAttribute('disabled')).to.equal(true);
    expect(el.hasAttribute('multiple')).to.equal(false);
  });

  it('has a visible focus ring on the button', async () => {
    const el = await fixture<ConvertUploader>(html`<convert-uploader></convert-uploader>`);
    await sendKeys({ press: 'Tab' });
    expect(getComputedStyle(button(el)).outlineStyle).to.equal('solid');
  });

  for (const [state, template] of [
    ['empty', html`<convert-uploader></convert-uploader>`],
    ['disabled', html`<convert-uploader disabled></convert-uploader>`],
    // Not started, so the rows stay queued while axe looks (with auto-start they would move on
    // to authorizing or an error at a moment left to timing).
    ['with queued files', html`<convert-uploader multiple auto-start="false"></convert-uploader>`],
  ] as const) {
    it(`is accessible (axe) when ${state}`, async () => {
      const el = await fixture<ConvertUploader>(template);
      if (state === 'with queued files') {
        el.addFiles([makeFile('a.txt'), makeFile('b.txt')]);
        await el.updateComplete;
        expect(el.items.map((item) => item.status)).to.deep.equal(['queued', 'queued']);
        expect(fileNames(el)).to.deep.equal(['a.txt', 'b.txt']);
      }
      await expect(el).to.be.accessible();
      if (state === 'with queued files') {
        // axe saw the queued state: nothing moved on while it ran.
        expect(el.items.map((item) => item.status)).to.deep.equal(['queued', 'queued']);
      }
    });
  }
});
