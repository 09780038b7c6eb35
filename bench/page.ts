/**
 * The benchmark page: the built CDN module, one element, and nothing else. Without `load`, the
 * module is only preloaded, so that a measurement can time its evaluation.
 */
export function benchPage(apiBase: string, load: boolean): string {
  const script = load
    ? '<script type="module" src="/cdn/convert-uploader.js"></script>'
    : '<link rel="modulepreload" href="/cdn/convert-uploader.js">';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${script}</head>
<body><convert-uploader id="bench" provider="convertapi" to="pdf" multiple concurrency="3"
 token-endpoint="/api/convert-token" api-base="${apiBase}"></convert-uploader></body></html>`;
}
