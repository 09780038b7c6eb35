import { staticClosure } from '../scripts/cdn-sizes.mjs';

/**
 * The benchmark page: the built CDN module, one element, and nothing else. Without `load`, the
 * module is only preloaded, so that a measurement can time its evaluation.
 */
export function benchPage(apiBase: string, load: boolean): string {
  // Every file of the start-up load is preloaded, so that the measurement is evaluation and rendering.
  const script = load
    ? '<script type="module" src="/cdn/convert-uploader.js"></script>'
    : [...staticClosure('convert-uploader.js')]
        .map((file) => `<link rel="modulepreload" href="/cdn/${file}">`)
        .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${script}</head>
<body><convert-uploader id="bench" provider="convertapi" to="pdf" multiple concurrency="3"
 token-endpoint="/api/convert-token" api-base="${apiBase}"></convert-uploader></body></html>`;
}
