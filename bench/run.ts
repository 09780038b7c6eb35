// `npm run bench`: the budgets of docs/design.md §7, measured side by side with baselines and peers in one run,
// printed as one table (then the details: peers' files, memory self-test, throughput pairs, the runs behind each
// median, and where the time goes) and written to bench/results.json. `-- --no-peers` leaves the peers out.
// Bounded: every wait has a limit, and the whole run stops itself after 15 minutes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/node/helpers/browser.js';
import { startPageServer } from '../test/node/helpers/page-server.js';
import { connectedToCloudConvert, requestsPerBatch, scale, startup, throughput } from './browser.js';
import { growth, uploadMemory, type MemoryProbe } from './memory.js';
import { benchPage, memoryPage, tokenEndpoints } from './page.js';
import { writePayload } from './payload.js';
import { ourSizes, peerSizes, type OurSize, type PeerSize } from './sizes.js';
import { closure } from '../scripts/cdn-sizes.mjs';
import { costBySource, SourceMaps } from './source-maps.js';
import { formatSpread } from './stats.js';
import { describe, markedSpan, tasks } from './trace.js';

const watchdog = setTimeout(() => {
  console.error('bench: still running after 15 minutes; stopping.');
  process.exit(2);
}, 15 * 60_000);
watchdog.unref();

interface Row {
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  budget: string;
  verdict: 'met' | 'MISSED' | '';
}

const withPeers = !process.argv.includes('--no-peers');
const rows: Row[] = [];
const details: string[] = [];
const results: Record<string, unknown> = {};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (value: number) => `${value.toFixed(1)} MB`;
const row = (measure: string, value: string, budget = '', ok?: boolean, baseline = '', ratio = '') => {
  rows.push({
    measure,
    value,
    baseline,
    ratio,
    budget,
    verdict: ok === undefined ? '' : ok ? 'met' : 'MISSED',
  });
};
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const loadAtStart = load();
// Which sources the figures are of: the commit, and whether src/ differed from it when the CDN files were built.
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const sources = `commit ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' with uncommitted changes in src/' : ''}`;

// Sizes -------------------------------------------------------------------------------------------------------
// The bench builds its own copy of the CDN files (the CDN steps of `npm run build`, same config) into a temp
// folder: its figures are those of the sources as they are now, and a build running beside it cannot swap the
// files under its pages. scripts/cdn-sizes.mjs reads `dist/cdn` from the working folder: it runs in the copy's.
const buildRoot = mkdtempSync(join(tmpdir(), 'convert-uploader-bench-'));
// Whatever ends the run (the end, a failure, the watchdog), the temp build and the payload file go.
const leftovers: (() => void)[] = [
  () => {
    rmSync(buildRoot, { recursive: true, force: true });
  },
];
process.on('exit', () => {
  for (const remove of leftovers) remove();
});
const cdnFolder = join(buildRoot, 'dist', 'cdn');
const inBuild = <T>(read: () => T): T => {
  const cwd = process.cwd();
  process.chdir(buildRoot);
  try {
    return read();
  } finally {
    process.chdir(cwd);
  }
};
for (const mode of ['cdn', 'cdn-iife'])
  execFileSync(
    'npx',
    ['--no-install', 'vite', 'build', '--mode', mode, '--outDir', cdnFolder, '--logLevel', 'error'],
    { stdio: 'inherit' },
  );
const ours = inBuild(ourSizes);
const size = (key: OurSize['key']) => ours.find((entry) => entry.key === key) as OurSize;
const limit = 20 * 1024;
// The CI gate's ratchet (scripts/check-size.mjs), quoted beside the budget.
const ratchet = /ratchetBytes = ([\d.]+) \* 1024/.exec(readFileSync('scripts/check-size.mjs', 'utf8'))?.[1];
const sizeBudget = `≤ 20 KB (goal 15 KB${ratchet ? `; CI holds a ratchet of ${ratchet} KB` : ''})`;
for (const entry of ours) {
  const budgeted = entry.key === 'a' || entry.key === 'b';
  row(
    `${entry.name}, brotli (gzip, raw), each file compressed alone, ${entry.files} file(s)`,
    `${kb(entry.brotli)} (${kb(entry.gzip)}, ${kb(entry.raw)})`,
    budgeted ? sizeBudget : '',
    budgeted ? entry.brotli <= limit : undefined,
  );
}
results['sizes'] = ours;
// What the files of (a) hold, to decide what to cut: each source's marginal cost (the file's brotli size with
// and without the source's code). Other languages' files are left out, as (a) leaves them out.
const holdings = inBuild(() => [...closure('convert-uploader.js', { dynamic: true })])
  .filter((file) => !/^convert-uploader\.[a-z]{2}\.js$/.test(file))
  .map((file) => ({ file, sources: costBySource(cdnFolder, file) }))
  .filter((holding) => holding.sources.length > 0);
results['sizeBySource'] = holdings;
details.push(
  "What (a) holds: each source's marginal brotli cost (its file compressed with and without it), the largest 15",
  ...holdings.flatMap(({ file, sources: bySource }) => [
    `  ${file}`,
    ...bySource.slice(0, 15).map((entry) => `    ${String(entry.bytes).padStart(6)} B  ${entry.source}`),
  ]),
  '',
);

if (withPeers) {
  let peers: PeerSize[] = [];
  try {
    peers = peerSizes();
  } catch (error) {
    row('peers', `not measured: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const [a, b] = [size('a').brotli, size('b').brotli];
  if (peers.length)
    details.push('Peers: the files a script-tag user loads, each compressed alone (brotli 11):');
  for (const peer of peers) {
    row(
      `peer: ${peer.name} ${peer.version} (${peer.files.map((file) => file.file.replace(/^.*\//, '')).join(' + ')}), brotli`,
      kb(peer.brotli),
      '',
      undefined,
      `ours: (a) ${kb(a)}, (b) ${kb(b)}`,
      `${(peer.brotli / a).toFixed(2)} × (a), ${(peer.brotli / b).toFixed(2)} × (b)`,
    );
    details.push(
      `  ${peer.name} ${peer.version}: ${peer.files.map((file) => `${file.file} ${kb(file.brotli)} (raw ${kb(file.raw)})`).join(' + ')} = ${kb(peer.brotli)}`,
    );
  }
  results['peers'] = peers;
}

// In the browser ----------------------------------------------------------------------------------------------
const server = await startPageServer({ folders: { '/cdn/': cdnFolder }, pages: {} });
const apiBase = server.backend.sandbox?.convertapi.base ?? '';
server.setPage('/bench.html', benchPage(apiBase, true));
server.setPage(
  '/bench-start.html',
  inBuild(() => benchPage(apiBase, false)),
);
server.setPage('/bench-upload.html', memoryPage(apiBase, 'element'));
server.setPage('/bench-reads-into-memory.html', memoryPage(apiBase, 'reads-into-memory'));
const cloudConvertApi = server.backend.sandbox?.cloudconvert.api ?? '';
for (const service of ['cloudconvert-server-job', 'cloudconvert-access-token'] as const) {
  server.setPage(`/bench-${service}.html`, benchPage(cloudConvertApi, true, service));
}
const maps = new SourceMaps(`${server.origin}/cdn/`, cdnFolder);
const payload = writePayload(512);
leftovers.push(payload.remove);
const browser = await launchChromium();
const chromiumVersion = browser.version();
try {
  const startupRuns = 9;
  const started = await startup(browser, server, startupRuns);
  row(
    `element defined and first render (median of ${startupRuns} runs)`,
    formatSpread(started.times, 'ms'),
    '≤ 20 ms',
    started.times.median <= 20,
  );
  results['startup'] = started.times;
  {
    const span = markedSpan(started.profiled.events);
    details.push(
      '',
      `Where the time goes: element defined and first render (one more run, traced and profiled: ${started.profiled.result.toFixed(1)} ms)`,
      ...describe(started.profiled, maps, span.start, span.end, span),
    );
  }

  const scaleRuns = 5;
  const queued = await scale(browser, server, scaleRuns);
  row(
    `1,000 files queued and rendered: longest main-thread task (median of ${scaleRuns} runs)`,
    `${formatSpread(queued.longestTaskMs, 'ms', 0)}; all rows rendered in ${formatSpread(queued.totalMs, 'ms', 0)}`,
    'no task over 50 ms',
    queued.longestTaskMs.median <= 50,
  );
  results['scale'] = { runs: queued.runs, longestTaskMs: queued.longestTaskMs, totalMs: queued.totalMs };
  details.push(
    '',
    `1,000 files, each run: ${queued.runs.map((run) => `longest task ${run.longestTaskMs.toFixed(0)} ms (${run.tasksOver50} over 50 ms), rows in ${run.totalMs.toFixed(0)} ms, ${run.rows} rows in the DOM`).join('; ')}`,
  );
  {
    const recording = queued.profiled;
    const span = markedSpan(recording.events);
    const [longest] = tasks(recording.events, span);
    details.push(
      '',
      `Where the time goes: 1,000 files (one more run, traced and profiled: rows in ${recording.result.totalMs.toFixed(0)} ms, ${recording.result.tasksOver50} task(s) over 50 ms)`,
      'The whole stretch, from addFiles to 200 ms after the last row:',
      ...describe(recording, maps, span.start, span.end, span),
    );
    if (longest) {
      details.push(
        `The longest task, ${(longest.dur / 1000).toFixed(1)} ms:`,
        ...describe(recording, maps, longest.ts, longest.ts + longest.dur, span),
      );
    }
  }

  const pairs = 9;
  const upload = await throughput(browser, server, payload.path, 256, pairs);
  row(
    `upload of 256 MB: element speed ÷ bare XHR speed (${pairs} interleaved pairs)`,
    `median ${upload.ratios.median.toFixed(2)} (min ${upload.ratios.min.toFixed(2)}, max ${upload.ratios.max.toFixed(2)})`,
    'median ≥ 0.95',
    upload.ratios.median >= 0.95,
    `element ${upload.elementMs.median.toFixed(0)} ms, bare XHR ${upload.bareMs.median.toFixed(0)} ms (medians)`,
  );
  results['throughput'] = upload;
  details.push(
    '',
    `Throughput, each pair (element ms / bare XHR ms = ratio): ${upload.elementMs.runs
      .map(
        (element, index) =>
          `${element.toFixed(0)} / ${(upload.bareMs.runs[index] ?? 0).toFixed(0)} = ${(upload.ratios.runs[index] ?? 0).toFixed(2)}`,
      )
      .join('; ')}`,
  );

  const describeProbe = (probe: MemoryProbe) =>
    `renderer +${mb(growth(probe.renderer))} (before ${mb(probe.renderer.before)}, peak ${mb(probe.renderer.peak)}, after ${mb(probe.renderer.after)}); V8 with ArrayBuffers +${mb(growth(probe.v8))} (before ${mb(probe.v8.before)}, peak ${mb(probe.v8.peak)}, after ${mb(probe.v8.after)}); upload ${probe.uploadMs} ms`;
  const element = await uploadMemory(browser, server, '/bench-upload.html', payload.path);
  const worst = Math.max(growth(element.renderer), growth(element.v8));
  row(
    'page memory growth while uploading 512 MB through the element (renderer process; V8 with ArrayBuffers)',
    `${mb(growth(element.renderer))}; ${mb(growth(element.v8))}`,
    '≤ 8 MB',
    worst <= 8,
  );
  const bad = await uploadMemory(browser, server, '/bench-reads-into-memory.html', payload.path);
  const caught = Math.min(growth(bad.renderer), growth(bad.v8));
  row(
    'self-test: the same probe on a page that reads the file into memory (renderer; V8)',
    `${mb(growth(bad.renderer))}; ${mb(growth(bad.v8))}`,
    '≥ 400 MB: the probe sees it',
    caught >= 400,
  );
  results['memory'] = { element, readsIntoMemory: bad };
  details.push(
    '',
    'Memory while a 512 MB file uploads (MB of 2^20 bytes; the peak sampled every 50 ms):',
    `  through the element:           ${describeProbe(element)}`,
    `  self-test, reads into memory:  ${describeProbe(bad)}`,
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

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${chromiumVersion}`;
const widths = (['measure', 'value', 'baseline', 'ratio', 'budget', 'verdict'] as const).map((key) =>
  Math.max(key.length, ...rows.map((entry) => entry[key].length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
console.log(
  `\n${new Date().toISOString().slice(0, 10)}, ${sources}; ${machine}; load average (1, 5, 15 min) ${loadAtStart} at the start, ${load()} at the end\n`,
);
console.log(line(['measure', 'value', 'baseline', 'ratio', 'budget', 'verdict']));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const entry of rows)
  console.log(line([entry.measure, entry.value, entry.baseline, entry.ratio, entry.budget, entry.verdict]));
console.log(`\n${details.join('\n')}`);
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ date: new Date().toISOString(), sources, machine, load: { start: loadAtStart, end: load() }, rows, results }, null, 2)}\n`,
);
const missed = rows.filter((entry) => entry.verdict === 'MISSED').length;
console.log(missed ? `\n${missed} budget(s) MISSED (marked in the table).` : '\nEvery budget met.');
