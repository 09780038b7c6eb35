import type { Browser, BrowserContext, Page } from 'playwright';
import type { PageServer } from '../test/node/helpers/page-server.js';
import { fileInputId } from './page.js';
import { spread, type Spread } from './stats.js';
import { endMark, markedSpan, startMark, tasks, traced, type Recording } from './trace.js';

interface BenchElement extends HTMLElement {
  autoStart: boolean;
  items: readonly { status: string }[];
  updateComplete: Promise<boolean>;
  addFiles(files: File[]): unknown;
  clear(): void;
}

declare global {
  interface Window {
    benchFile?: File;
  }
}

async function openBenchPage(browser: Browser, server: PageServer, path = '/bench.html'): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.origin}${path}`);
  await page.waitForFunction(() => customElements.get('convert-uploader'));
  return page;
}

/**
 * Element defined and first rendered: milliseconds from importing the (preloaded) module to the end of the
 * element's first update, in `runs` fresh pages; then one more run, traced and profiled, for where the time goes.
 */
export async function startup(
  browser: Browser,
  server: PageServer,
  runs: number,
): Promise<{ times: Spread; profiled: Recording<number> }> {
  const once = async (profiled: boolean): Promise<Recording<number>> => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.origin}/bench-start.html`);
      const measure = () =>
        page.evaluate(
          async ([moduleUrl, start, end]) => {
            performance.mark(start);
            const started = performance.now();
            await import(moduleUrl);
            const element = document.querySelector('convert-uploader') as BenchElement;
            await element.updateComplete;
            const elapsed = performance.now() - started;
            performance.mark(end);
            return elapsed;
          },
          ['/cdn/convert-uploader.js', startMark, endMark] as const,
        );
      return profiled ? await traced(browser, page, measure, true) : { result: await measure(), events: [] };
    } finally {
      await page.close();
    }
  };
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) times.push((await once(false)).result);
  return { times: spread(times), profiled: await once(true) };
}

export interface ScaleRun {
  /** From addFiles to the last row rendered. */
  totalMs: number;
  /** The longest task on the page's main thread meanwhile (Chromium trace), and how many went over 50 ms. */
  longestTaskMs: number;
  tasksOver50: number;
  /** Rows in the element's shadow DOM at the end. */
  rows: number;
}

/**
 * Queuing and rendering 1,000 files, in `runs` fresh pages, each under a Chromium trace of the main thread
 * (its tasks); then one more run, profiled, for where the time goes.
 */
export async function scale(
  browser: Browser,
  server: PageServer,
  runs: number,
): Promise<{ runs: ScaleRun[]; totalMs: Spread; longestTaskMs: Spread; profiled: Recording<ScaleRun> }> {
  const once = async (profile: boolean): Promise<Recording<ScaleRun>> => {
    const page = await openBenchPage(browser, server);
    try {
      // The files are made in a task of their own: making them is the page's work, not the element's.
      await page.evaluate(() => {
        Object.assign(window, {
          benchFiles: Array.from(
            { length: 1000 },
            (_, index) => new File(['x'], `file-${index}.txt`, { type: 'text/plain' }),
          ),
        });
      });
      const recording = await traced(
        browser,
        page,
        () =>
          page.evaluate(
            async ([start, end]) => {
              const element = document.querySelector('convert-uploader') as BenchElement;
              element.autoStart = false;
              const files = (window as unknown as { benchFiles: File[] }).benchFiles;
              // (No named functions in here: tsx would wrap them in a helper the page does not have.)
              const rowSelector = '[part="file"]';
              performance.mark(start);
              const started = performance.now();
              element.addFiles(files);
              // Done when every row is in the DOM; or, should the list render only some rows (a virtualizer),
              // when all 1,000 are queued and the rows have not changed for 10 frames. At most 60 s.
              let count = element.shadowRoot?.querySelectorAll(rowSelector).length ?? 0;
              let changedAt = performance.now();
              let still = 0;
              while (count !== 1000 && performance.now() - started < 60_000) {
                await new Promise((resolve) => requestAnimationFrame(resolve));
                const now = element.shadowRoot?.querySelectorAll(rowSelector).length ?? 0;
                if (now !== count) {
                  count = now;
                  changedAt = performance.now();
                  still = 0;
                } else if (element.items.length === 1000 && (still += 1) >= 10) break;
              }
              const totalMs = (count === 1000 ? performance.now() : changedAt) - started;
              // Tasks that the rendering left behind (layout, paint) fall into the traced stretch too.
              await new Promise((resolve) => setTimeout(resolve, 200));
              performance.mark(end);
              return { totalMs, rows: count };
            },
            [startMark, endMark] as const,
          ),
        profile,
      );
      const span = markedSpan(recording.events);
      const longest = tasks(recording.events, span);
      return {
        ...recording,
        result: {
          ...recording.result,
          longestTaskMs: (longest[0]?.dur ?? 0) / 1000,
          tasksOver50: longest.filter((task) => task.dur > 50_000).length,
        },
      };
    } finally {
      await page.close();
    }
  };
  const results: ScaleRun[] = [];
  for (let run = 0; run < runs; run += 1) results.push((await once(false)).result);
  return {
    runs: results,
    totalMs: spread(results.map((run) => run.totalMs)),
    longestTaskMs: spread(results.map((run) => run.longestTaskMs)),
    profiled: await once(true),
  };
}

export interface Throughput {
  /** Element speed as a share of the bare XHR's, per pair: bare time / element time. */
  ratios: Spread;
  elementMs: Spread;
  bareMs: Spread;
}

/**
 * Upload time of the same `megabytes` of a file on disk, through the element and by a bare XHR to the same
 * server, in `pairs` interleaved pairs on one page (after one unmeasured run of each). The order within a
 * pair alternates (element first, then bare first, …) so that neither always runs on a warmer machine.
 */
export async function throughput(
  browser: Browser,
  server: PageServer,
  file: string,
  megabytes: number,
  pairs: number,
): Promise<Throughput> {
  const page = await openBenchPage(browser, server, '/bench-upload.html');
  const apiBase = server.backend.sandbox?.convertapi.base ?? '';
  try {
    await page.setInputFiles(`#${fileInputId}`, file);
    await page.evaluate(
      ([id, size]) => {
        const picked = (document.getElementById(id) as HTMLInputElement).files?.[0];
        if (!picked) throw new Error('no file picked');
        window.benchFile = new File([picked.slice(0, size)], 'payload.bin', {
          type: 'application/octet-stream',
        });
      },
      [fileInputId, megabytes * 1024 * 1024] as const,
    );
    // Each run starts before the upload is asked for (the element's includes what it does first, e.g. its token
    // request) and ends when the upload's answer has arrived: the `responseEnd` of its request in the page's
    // resource timing, so that neither side pays for how soon the page notices. The element's run is over when
    // its file leaves `uploading` (the sandbox then refuses to convert a .bin file: that comes after).
    const elementRun = () =>
      page.evaluate(async () => {
        const element = document.querySelector('convert-uploader') as BenchElement;
        element.clear();
        await element.updateComplete;
        performance.clearResourceTimings();
        const started = performance.now();
        element.addFiles([window.benchFile as File]);
        for (;;) {
          const status = element.items[0]?.status;
          if (status && status !== 'queued' && status !== 'uploading') break;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        let upload: PerformanceEntry | undefined;
        for (let wait = 0; !upload && wait < 100; wait += 1) {
          upload = performance
            .getEntriesByType('resource')
            .find((entry) => new URL(entry.name).pathname.endsWith('/upload'));
          if (!upload) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (!upload) throw new Error('no upload request in the resource timing');
        return (upload as PerformanceResourceTiming).responseEnd - started;
      });
    const bareRun = () =>
      page.evaluate(async (base) => {
        performance.clearResourceTimings();
        const started = performance.now();
        await new Promise<void>((resolve, reject) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', `${base}/upload?filename=payload.bin`);
          xhr.upload.addEventListener('progress', () => undefined);
          xhr.addEventListener('load', () => {
            resolve();
          });
          xhr.addEventListener('error', () => {
            reject(new Error('upload failed'));
          });
          xhr.send(window.benchFile);
        });
        let upload: PerformanceEntry | undefined;
        for (let wait = 0; !upload && wait < 100; wait += 1) {
          upload = performance
            .getEntriesByType('resource')
            .find((entry) => new URL(entry.name).pathname.endsWith('/upload'));
          if (!upload) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (!upload) throw new Error('no upload request in the resource timing');
        return (upload as PerformanceResourceTiming).responseEnd - started;
      }, apiBase);
    await bareRun();
    await elementRun();
    const elementTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      if (pair % 2 === 0) {
        elementTimes.push(await elementRun());
        bareTimes.push(await bareRun());
      } else {
        bareTimes.push(await bareRun());
        elementTimes.push(await elementRun());
      }
    }
    return {
      ratios: spread(bareTimes.map((bare, index) => bare / (elementTimes[index] ?? Infinity))),
      elementMs: spread(elementTimes),
      bareMs: spread(bareTimes),
    };
  } finally {
    await page.close();
  }
}

/** What a batch of files cost in requests: to the token endpoint, and to the service (by kind). */
export interface BatchRequests {
  tokenCalls: number;
  /** Every request to the service (CORS preflights left out). */
  apiCalls: number;
  /** CloudConvert: jobs created, uploads to the storage host, reads of a job or task. */
  jobsCreated: number;
  uploads: number;
  statusReads: number;
  failed: number;
}

/**
 * Converts a batch of `count` text files on the page at `path` (see `benchPage`) in `context`, and
 * counts its token endpoint calls (the page's resource timing) and service calls (the sandbox's log).
 */
export async function requestsPerBatch(
  context: BrowserContext,
  server: PageServer,
  path: string,
  tokenEndpoint: string,
  count: number,
): Promise<BatchRequests> {
  const sandbox = server.backend.sandbox;
  if (!sandbox) throw new Error('needs the sandbox');
  const page = await context.newPage();
  await page.goto(`${server.origin}${path}`);
  await page.waitForFunction(() => customElements.get('convert-uploader'));
  const since = sandbox.requests().at(-1)?.seq ?? 0;
  const failed = await page.evaluate(async (total) => {
    const element = document.querySelector('convert-uploader') as BenchElement;
    const files = Array.from(
      { length: total },
      (_, index) => new File([`file ${index}`], `file-${index}.txt`, { type: 'text/plain' }),
    );
    element.addFiles(files);
    const started = performance.now();
    for (;;) {
      const items = element.items;
      if (
        items.length === total &&
        items.every((item) => ['done', 'error', 'canceled'].includes(item.status))
      ) {
        return items.filter((item) => item.status !== 'done').length;
      }
      // At most two minutes: files still at work then count as failed.
      if (performance.now() - started > 120_000) return items.filter((item) => item.status !== 'done').length;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }, count);
  const tokenCalls = await page.evaluate(
    (endpoint) =>
      performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname === endpoint)
        .length,
    tokenEndpoint,
  );
  const calls = sandbox.requests(since).filter((entry) => entry.method !== 'OPTIONS');
  await page.close();
  const cloudConvertApi = calls.filter((entry) => entry.service === 'cloudconvert-api');
  return {
    tokenCalls,
    apiCalls: calls.length,
    jobsCreated: cloudConvertApi.filter((entry) => entry.method === 'POST' && /\/jobs$/.test(entry.path))
      .length,
    uploads: calls.filter((entry) => entry.service === 'cloudconvert-storage').length,
    statusReads: calls.filter(
      (entry) =>
        entry.method === 'GET' &&
        /\/(jobs|tasks)\/[^/]+$/.test(entry.path) &&
        entry.service !== 'cloudconvert-storage',
    ).length,
    failed,
  };
}

/**
 * A browser context connected to the sandbox's CloudConvert through the demo backend's OAuth routes
 * (consent page included), so that its token endpoint hands out access tokens.
 */
export async function connectedToCloudConvert(browser: Browser, server: PageServer): Promise<BrowserContext> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.origin}/api/convert/oauth/start?returnTo=${encodeURIComponent('/connected')}`);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL(/cloudconvert=connected/);
  await page.close();
  return context;
}
