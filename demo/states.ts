import type { ConvertUploader } from '../src/index.js';
import type { UploadStatus } from '../src/engine/types.js';
import type { DemoConfig } from './backend.js';

// Puts each widget of states.html into its state, using the sandbox's fault injection, with the same files
// (names, bytes, sizes) on every load. `?provider=cloudconvert` runs the same states with CloudConvert in
// server-job mode, `?dir=rtl` right to left. When every state is reached, <body> gets `data-ready="true"`;
// when one is not, `data-ready="failed"` and `data-problem` says which (the visual and axe tests read both).

type Provider = 'convertapi' | 'cloudconvert';

const params = new URLSearchParams(location.search);
const provider: Provider = params.get('provider') === 'cloudconvert' ? 'cloudconvert' : 'convertapi';
const rtl = params.get('dir') === 'rtl';
if (rtl) document.documentElement.dir = 'rtl';
document.documentElement.dataset['provider'] = provider;
const variant = document.querySelector('#variant');
if (variant) {
  variant.textContent = `${provider === 'cloudconvert' ? 'CloudConvert, server-job mode' : 'ConvertAPI'}; ${
    rtl ? 'right to left' : 'left to right'
  }.`;
}

/** The catalogue reads of the format pickers still under way: the page is ready once they have answered. */
const catalogueReads = new Set<Promise<unknown>>();
const pageFetch = window.fetch.bind(window);
window.fetch = (input, init) => {
  const answer = pageFetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (/\/info\/[^/]+\/to\/|\/convert\/formats\?/.test(url)) {
    const settled = answer.then(
      (response) => response.clone().text(),
      () => undefined,
    );
    catalogueReads.add(settled);
    void settled.finally(() => catalogueReads.delete(settled));
  }
  return answer;
};

const config = (await (await fetch('/api/demo-config')).json()) as DemoConfig;
const sandbox = new URL(config.convertapi.apiBase ?? config.cloudconvert.apiBase ?? location.href).origin;

// Every widget is pointed at its service before the element is defined, so none starts with another one.
for (const element of document.querySelectorAll('convert-uploader')) {
  element.setAttribute('provider', provider);
  if (provider === 'cloudconvert') {
    element.setAttribute('token-endpoint', config.cloudconvert.jobEndpoint);
    if (config.cloudconvert.apiBase) element.setAttribute('api-base', config.cloudconvert.apiBase);
  } else {
    element.setAttribute('token-endpoint', '/api/convert-token');
    if (config.convertapi.apiBase) element.setAttribute('api-base', config.convertapi.apiBase);
  }
}
await import('../src/define.js');

function widget(state: string): ConvertUploader {
  const element = document.querySelector<ConvertUploader>(`#state-${state} convert-uploader`);
  if (!element) throw new Error(`no widget for ${state}`);
  return element;
}

async function control(path: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(`${sandbox}/__sandbox/${path}`, init);
  if (!response.ok) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const fault = (body: unknown) => control('faults', { method: 'POST', body: JSON.stringify(body) });

/** Waits until `check` holds (polled), or fails naming `what` after 30 s. */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error(`not reached: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the widget's files have exactly these statuses, in order. */
function statuses(state: string, expected: readonly UploadStatus[]): Promise<void> {
  const element = widget(state);
  const now = () => element.items.map((item) => item.status).join();
  return until(`${state}: ${expected.join()} (has ${now()})`, () => now() === expected.join());
}

/** Waits until every armed fault has been used up (so the next widget cannot take one meant for another). */
const faultsUsed = (what: string) =>
  until(`${what}: fault used`, async () => ((await control('faults')) as unknown[]).length === 0);

// ---- The files: made the same way on every load. ----

function text(name: string, content: string, type = 'text/plain'): File {
  return new File([content], name, { type });
}

/** Text of exactly `size` bytes (ASCII), lines of a report. */
function report(size: number): string {
  const line = 'Quarterly report: revenue grew in every region; costs held steady.\n';
  return line.repeat(Math.ceil(size / line.length)).slice(0, size);
}

async function png(name: string): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 96;
  canvas.height = 64;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  context.fillStyle = '#0b57d0';
  context.fillRect(0, 0, 96, 64);
  context.fillStyle = '#fbbc04';
  context.fillRect(12, 28, 16, 28);
  context.fillStyle = '#34a853';
  context.fillRect(40, 16, 16, 40);
  context.fillStyle = '#ea4335';
  context.fillRect(68, 8, 16, 48);
  const blob = await new Promise<Blob | null>((resolve) => {
    canvas.toBlob(resolve, 'image/png');
  });
  if (!blob) throw new Error('the canvas made no PNG');
  return new File([blob], name, { type: 'image/png' });
}

/** A PDF of `pages` pages, each a coloured block, written out by hand (xref offsets included). */
function pdf(name: string, pages: number): File {
  const colours = ['0.04 0.34 0.82', '0.92 0.26 0.21', '0.2 0.66 0.33'];
  const objects: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, index) => 3 + index * 2);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`);
  for (let page = 0; page < pages; page += 1) {
    const content = `${colours[page % colours.length]} rg 20 20 160 110 re f`;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 150] /Contents ${4 + page * 2} 0 R >>`);
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = body.length;
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new File([body], name, { type: 'application/pdf' });
}

/** The three files queued in the added, compact and themed states. */
async function queuedFiles(): Promise<File[]> {
  return [
    text(
      'quarterly-report.docx',
      report(18_432),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ),
    await png('sales-chart.png'),
    text(
      'notes.md',
      '# Notes\n\n- Send the report on Friday.\n- Ask about the chart colours.\n',
      'text/markdown',
    ),
  ];
}

// ---- The states, one after another: each fault is armed, used by its widget and gone before the next. ----

async function setUp(): Promise<void> {
  await control('faults', { method: 'DELETE' });

  const dragged = widget('drag-over');
  const dataTransfer = new DataTransfer();
  dataTransfer.items.add(text('a.txt', 'a'));
  await dragged.updateComplete;
  dragged.shadowRoot
    ?.querySelector('[part~="dropzone"]')
    ?.dispatchEvent(new DragEvent('dragenter', { dataTransfer, bubbles: true, cancelable: true }));

  for (const state of ['added', 'compact', 'themed']) widget(state).addFiles(await queuedFiles());
  await Promise.all(
    ['added', 'compact', 'themed'].map((state) => statuses(state, ['queued', 'queued', 'queued'])),
  );

  // Rejected: too large, empty, and not a .txt; nothing is accepted, so nothing is sent.
  widget('rejected').addFiles([
    text('minutes.txt', report(1_572_864)),
    text('empty.txt', ''),
    pdf('scan.pdf', 1),
  ]);
  await until(
    'rejected: three rejections shown',
    () => (widget('rejected').shadowRoot?.querySelectorAll('[part~="rejections"] li').length ?? 0) === 3,
  );

  // Done: an image and a two-page PDF to JPG: three results, with previews.
  widget('done').addFiles([await png('sales-chart.png'), pdf('slides.pdf', 2)]);
  await statuses('done', ['done', 'done']);

  // Failed: the service refuses the conversion.
  await fault(
    provider === 'cloudconvert'
      ? {
          match: { service: 'cloudconvert-storage', method: 'POST' },
          times: 1,
          // A 5xx would be tried again; the storage refusing the upload is final.
          action: { status: 403, body: '<Error><Code>AccessDenied</Code></Error>' },
        }
      : {
          match: { service: 'convertapi', path: '/convert/*' },
          times: 1,
          action: { status: 500, body: { Code: 5001, Message: 'Conversion failed.' } },
        },
  );
  widget('failed').addFiles([text('report.txt', 'A report.\n')]);
  await statuses('failed', ['error']);
  await faultsUsed('failed');

  // Uploading: the upload is read at 100 KB/s (about 3 minutes for these 20 MB, less what the sockets buffer).
  await fault({
    match:
      provider === 'cloudconvert'
        ? { service: 'cloudconvert-storage', method: 'POST' }
        : { service: 'convertapi', path: '/upload' },
    times: 1,
    action: { throttleBytesPerSec: 100_000 },
  });
  const uploading = widget('uploading');
  uploading.addFiles([text('recording-transcript.txt', 'x'.repeat(20_000_000))]);
  await statuses('uploading', ['uploading']);
  await until('uploading: some progress', () => (uploading.items[0]?.uploadProgress ?? 0) > 0);
  await faultsUsed('uploading');

  // Converting: the service answers "busy, come back in 5 minutes", three times (up to 15 minutes). The page's
  // own timers wait, not the sandbox's, so closing the page leaves nothing running on the server.
  await fault(
    provider === 'cloudconvert'
      ? {
          match: { service: 'cloudconvert-api', method: 'GET', path: '/v2/jobs/*' },
          times: 3,
          action: {
            status: 429,
            headers: { 'Retry-After': '300' },
            body: { message: 'Too Many Requests', code: 'TOO_MANY_REQUESTS' },
          },
        }
      : {
          match: { service: 'convertapi', path: '/convert/*' },
          times: 3,
          action: {
            status: 503,
            headers: { 'Retry-After': '300', 'Access-Control-Expose-Headers': 'Retry-After' },
            body: { Code: 5030, Message: 'Busy.' },
          },
        },
  );
  widget('converting').addFiles([text('thesis.md', '# Thesis\n\nA short one.\n', 'text/markdown')]);
  await statuses('converting', ['converting']);
  await until('converting: the service was asked', async () => {
    const faults = (await control('faults')) as Array<{ times?: number }>;
    return faults.length === 1 && faults[0]?.times === 2;
  });

  await until('the format pickers read their catalogues', () => catalogueReads.size === 0);
  await until(
    'themed: German strings',
    () => widget('themed').shadowRoot?.textContent.includes('Dateien auswählen') === true,
  );
  await Promise.all(
    [...document.querySelectorAll<ConvertUploader>('convert-uploader')].map((e) => e.updateComplete),
  );
}

try {
  await setUp();
  document.body.dataset['ready'] = 'true';
} catch (error) {
  document.body.dataset['problem'] = error instanceof Error ? error.message : String(error);
  document.body.dataset['ready'] = 'failed';
  throw error;
}
