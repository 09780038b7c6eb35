import '../src/define.js';
import type { ConvertUploader } from '../src/index.js';
import type { DemoConfig } from './backend.js';

// Puts each widget of states.html into its state, using the sandbox's fault injection.
const config = (await (await fetch('/api/demo-config')).json()) as DemoConfig;
const apiBase = config.convertapi.apiBase ?? '';
const sandbox = new URL(apiBase).origin;

function widget(state: string): ConvertUploader {
  const element = document.querySelector<ConvertUploader>(`#state-${state} convert-uploader`);
  if (!element) throw new Error(`no widget for ${state}`);
  element.apiBase = apiBase;
  element.tokenEndpoint = '/api/convert-token';
  return element;
}

async function fault(body: unknown): Promise<void> {
  await fetch(`${sandbox}/__sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
}

function settled(element: ConvertUploader): Promise<void> {
  return new Promise((resolve) => {
    element.addEventListener(
      'convert-complete',
      () => {
        resolve();
      },
      { once: true },
    );
  });
}

function text(name: string, content: string): File {
  return new File([content], name, { type: 'text/plain' });
}

async function png(name: string): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 48;
  canvas.height = 32;
  const context = canvas.getContext('2d');
  if (context) {
    context.fillStyle = '#0b57d0';
    context.fillRect(0, 0, 48, 32);
    context.fillStyle = '#fbbc04';
    context.fillRect(8, 8, 16, 16);
  }
  const blob = await new Promise<Blob | null>((resolve) => {
    canvas.toBlob(resolve, 'image/png');
  });
  return new File([blob ?? new Blob()], name, { type: 'image/png' });
}

await fetch(`${sandbox}/__sandbox/faults`, { method: 'DELETE' });
for (const state of ['empty', 'disabled', 'themed', 'rtl']) widget(state);

const dragged = widget('drag-over');
const dataTransfer = new DataTransfer();
dataTransfer.items.add(text('a.txt', 'a'));
await dragged.updateComplete;
dragged.shadowRoot
  ?.querySelector('[part="dropzone"]')
  ?.dispatchEvent(new DragEvent('dragenter', { dataTransfer, bubbles: true, cancelable: true }));

const done = widget('done');
const doneSettled = settled(done);
done.addFiles([await png('chart.png')]);
await doneSettled;

await fault({
  match: { service: 'convertapi', path: '/convert/*' },
  times: 1,
  action: { status: 500, body: { Code: 5001, Message: 'Conversion failed.' } },
});
const failed = widget('error');
const failedSettled = settled(failed);
failed.addFiles([text('report.txt', 'A report.')]);
await failedSettled;

const rejecting = widget('rejected');
const rejectingSettled = settled(rejecting);
rejecting.addFiles([
  text('notes.txt', 'fine'),
  text('empty.txt', ''),
  new File(['%PDF'], 'scan.pdf', { type: 'application/pdf' }),
]);
await rejectingSettled;

await fault({
  match: { service: 'convertapi', path: '/upload' },
  times: 1,
  action: { throttleBytesPerSec: 20_000 },
});
widget('uploading').addFiles([text('large.txt', 'x'.repeat(2_000_000))]);

await fault({ match: { service: 'convertapi', path: '/convert/*' }, times: 1, action: { delayMs: 120_000 } });
widget('converting').addFiles([text('thesis.md', '# Thesis')]);

document.body.dataset['ready'] = 'true';
