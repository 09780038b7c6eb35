import { staticClosure } from '../scripts/cdn-sizes.mjs';

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
    : [...staticClosure('convert-uploader.js')]
        .map((file) => `<link rel="modulepreload" href="/cdn/${file}">`)
        .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${script}</head>
<body><convert-uploader id="bench" provider="${service === 'convertapi' ? 'convertapi' : 'cloudconvert'}" to="pdf"
 multiple concurrency="3" token-endpoint="${tokenEndpoints[service]}" api-base="${apiBase}"></convert-uploader></body></html>`;
}
