import { closure } from '../scripts/cdn-sizes.mjs';

/** The services and modes the request counts cover. */
export type BenchService = 'convertapi' | 'cloudconvert-server-job' | 'cloudconvert-access-token';

/** Each one's token endpoint, as the demo backend serves them. */
export const tokenEndpoints: Record<BenchService, string> = {
  convertapi: '/api/convert-token',
  'cloudconvert-server-job': '/api/cloudconvert-job',
  'cloudconvert-access-token': '/api/convert/oauth/token',
};

/**
 * The benchmark page: the built CDN module, one element, and nothing else. Without `load`, the
 * module is only preloaded, so that a measurement can time its evaluation.
 */
export function benchPage(apiBase: string, load: boolean, service: BenchService = 'convertapi'): string {
  // Every file of the start-up load is preloaded, so that the measurement is evaluation and rendering.
  const script = load
    ? '<script type="module" src="/cdn/convert-uploader.js"></script>'
    : [...closure('convert-uploader.js', { dynamic: false })]
        .map((file) => `<link rel="modulepreload" href="/cdn/${file}">`)
        .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${script}</head>
<body><convert-uploader id="bench" provider="${service === 'convertapi' ? 'convertapi' : 'cloudconvert'}" to="pdf"
 multiple concurrency="3" token-endpoint="${tokenEndpoints[service]}" api-base="${apiBase}"></convert-uploader></body></html>`;
}

/** The file input the memory and throughput pages carry: Playwright points it at a file on disk, as a visitor would. */
export const fileInputId = 'bench-file';

/**
 * The memory probe's pages. Each defines `benchUpload()`, which uploads the file picked in the page's input,
 * and `benchUploadDone()`. `element`: through the element (the upload, until the file leaves `uploading`).
 * `reads-into-memory`: a deliberately bad uploader, for the probe's self-test only: it reads the whole file
 * into an ArrayBuffer and keeps it, then posts the file to the same server. Never product code. (Posting the
 * 512 MB buffer itself crashes the renderer: the blob it makes exceeds Chromium's blob memory.)
 */
export function memoryPage(apiBase: string, kind: 'element' | 'reads-into-memory'): string {
  const input = `<input type="file" id="${fileInputId}">`;
  if (kind === 'element') {
    return benchPage(apiBase, true).replace(
      '</body>',
      `${input}<script type="module">
const element = () => document.querySelector('convert-uploader');
window.benchUpload = () => { element().addFiles([document.getElementById('${fileInputId}').files[0]]); };
window.benchUploadDone = () => {
  const status = element().items[0]?.status;
  return Boolean(status) && status !== 'queued' && status !== 'uploading';
};
</script></body>`,
    );
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench: reads into memory</title></head>
<body>${input}<script type="module">
let done = false;
window.benchUpload = async () => {
  const file = document.getElementById('${fileInputId}').files[0];
  window.keptInMemory = await file.arrayBuffer();
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '${apiBase}/upload?filename=payload.bin');
  xhr.addEventListener('loadend', () => { done = true; });
  xhr.send(file);
};
window.benchUploadDone = () => done;
</script></body></html>`;
}
