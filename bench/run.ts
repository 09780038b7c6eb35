// `npm run bench`: the budgets of docs/design.md §7, measured side by side with baselines in one run,
// printed as one table and written to bench/results.json. `-- --peers` adds the peers' bundle sizes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { launchChromium } from '../test/node/helpers/browser.js';
import { startPageServer } from '../test/node/helpers/page-server.js';
import { connectedToCloudConvert, memory, requestsPerBatch, scale, startup, throughput } from './browser.js';
import { benchPage, tokenEndpoints } from './page.js';
import { ourSizes, peerSizes, type SizeRow } from './sizes.js';

interface Row {
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  budget: string;
  verdict: 'ok' | 'MISSED' | '';
}

const withPeers = process.argv.includes('--peers');
const rows: Row[] = [];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (measure: string, value: string, budget = '', ok?: boolean, baseline = '', ratio = '') => {
  rows.push({
    measure,
    value,
    baseline,
    ratio,
    budget,
    verdict: ok === undefined ? '' : ok ? 'ok' : 'MISSED',
  });
};

execFileSync('npx', ['--no-install', 'vite', 'build', '--mode', 'cdn', '--logLevel', 'error'], {
  stdio: 'inherit',
});
const ours = ourSizes();
const budgeted = ours.find((size) => size.name.startsWith('CDN module with both providers')) as SizeRow;
for (const size of ours) {
  const isBudget = size === budgeted;
  row(
    `${size.name}, brotli (gzip, raw)`,
    `${kb(size.brotli)} (${kb(size.gzip)}, ${kb(size.raw)})`,
    isBudget ? '≤ 15 KB (hard limit 20 KB)' : '',
    isBudget ? size.brotli <= 15 * 1024 : undefined,
  );
}
if (withPeers) {
  for (const peer of peerSizes()) {
    row(
      `peer: ${peer.name}, brotli`,
      kb(peer.brotli),
      '',
      undefined,
      'ours',
      `${(peer.brotli / budgeted.brotli).toFixed(1)} × ours (both providers)`,
    );
  }
}

const server = await startPageServer({ folders: { '/cdn/': 'dist/cdn' }, pages: {} });
const apiBase = server.backend.sandbox?.convertapi.base ?? '';
server.setPage('/bench.html', benchPage(apiBase, true));
server.setPage('/bench-start.html', benchPage(apiBase, false));
const cloudConvertApi = server.backend.sandbox?.cloudconvert.api ?? '';
for (const service of ['cloudconvert-server-job', 'cloudconvert-access-token'] as const) {
  server.setPage(`/bench-${service}.html`, benchPage(cloudConvertApi, true, service));
}
const browser = await launchChromium();
try {
  const started = await startup(browser, server);
  row('element defined and first render (median of 9)', `${started.toFixed(1)} ms`, '≤ 20 ms', started <= 20);

  const queued = await scale(browser, server);
  row(
    '1,000 files queued and rendered',
    `${queued.totalMs.toFixed(0)} ms, longest task ${queued.longestTaskMs.toFixed(0)} ms`,
    'no task over 50 ms',
    queued.longestTaskMs <= 50,
  );

  const upload = await throughput(browser, server, 256, 4);
  row(
    'upload of 256 MB: element vs bare XHR (median of 4 alternating rounds)',
    `${upload.elementMs.toFixed(0)} ms`,
    '≥ 0.95 × bare XHR',
    upload.ratio >= 0.95,
    `${upload.bareMs.toFixed(0)} ms`,
    `${upload.ratio.toFixed(2)} × bare speed`,
  );

  const heap = await memory(browser, server, 512);
  const growth = heap.peakMb - heap.beforeMb;
  row(
    'JS heap growth while uploading 512 MB',
    `${growth.toFixed(1)} MB (before ${heap.beforeMb.toFixed(1)}, peak ${heap.peakMb.toFixed(1)}, after ${heap.afterMb.toFixed(1)})`,
    '≤ 8 MB',
    growth <= 8,
  );

  const plain = await browser.newContext();
  for (const count of [1, 10, 100]) {
    const calls = await requestsPerBatch(plain, server, '/bench.html', tokenEndpoints.convertapi, count);
    row(
      `ConvertAPI batch of ${count}: token endpoint calls; API calls per file`,
      `${calls.tokenCalls}; ${(calls.apiCalls / count).toFixed(2)}${calls.failed ? ` (${calls.failed} failed)` : ''}`,
      '1; 2',
      calls.tokenCalls === 1 && calls.apiCalls / count <= 2 && calls.failed === 0,
    );
  }
  // CloudConvert: one job per batch and one upload per file; status reads depend on how long the
  // conversions take (the element polls with backoff), so they are reported, not budgeted.
  const connected = await connectedToCloudConvert(browser, server);
  for (const [service, context, mode] of [
    ['cloudconvert-server-job', plain, 'server job'],
    ['cloudconvert-access-token', connected, 'access token'],
  ] as const) {
    for (const count of [1, 10, 100]) {
      const calls = await requestsPerBatch(
        context,
        server,
        `/bench-${service}.html`,
        tokenEndpoints[service],
        count,
      );
      row(
        `CloudConvert (${mode}) batch of ${count}: token endpoint calls; jobs; uploads, status reads and API calls per file`,
        `${calls.tokenCalls}; ${calls.jobsCreated}; ${(calls.uploads / count).toFixed(2)}, ${(calls.statusReads / count).toFixed(2)}, ${(calls.apiCalls / count).toFixed(2)}${calls.failed ? ` (${calls.failed} failed)` : ''}`,
        '1; 1; 1 upload',
        calls.tokenCalls === 1 && calls.jobsCreated === 1 && calls.uploads === count && calls.failed === 0,
      );
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const widths = (['measure', 'value', 'baseline', 'ratio', 'budget', 'verdict'] as const).map((key) =>
  Math.max(key.length, ...rows.map((entry) => entry[key].length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
console.log(`\n${new Date().toISOString().slice(0, 10)}, ${machine}\n`);
console.log(line(['measure', 'value', 'baseline', 'ratio', 'budget', 'verdict']));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const entry of rows)
  console.log(line([entry.measure, entry.value, entry.baseline, entry.ratio, entry.budget, entry.verdict]));
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2)}\n`,
);
const missed = rows.filter((entry) => entry.verdict === 'MISSED').length;
console.log(missed ? `\n${missed} budget(s) missed.` : '\nEvery budget met.');
