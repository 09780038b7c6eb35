import type { Browser, BrowserContext, Page } from 'playwright';
import type { PageServer } from '../test/node/helpers/page-server.js';

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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function openBenchPage(browser: Browser, server: PageServer): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/bench.html`);
  await page.waitForFunction(() => customElements.get('convert-uploader'));
  return page;
}

/** Milliseconds from evaluating the module to the element's first render (median of runs). */
export async function startup(browser: Browser, server: PageServer, runs = 9): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/bench-start.html`);
    times.push(
      await page.evaluate(async (moduleUrl) => {
        const started = performance.now();
        await import(moduleUrl);
        const element = document.querySelector('convert-uploader') as BenchElement;
        await element.updateComplete;
        return performance.now() - started;
      }, '/cdn/convert-uploader.js'),
    );
    await page.close();
  }
  return median(times);
}

/** Queuing and rendering 1,000 files: how long it took and the longest main-thread task meanwhile. */
export async function scale(
  browser: Browser,
  server: PageServer,
): Promise<{ totalMs: number; longestTaskMs: number }> {
  const page = await openBenchPage(browser, server);
  // The files are made in a task of their own: making them is the page's work, not the element's.
  await page.evaluate(() => {
    Object.assign(window, {
      benchFiles: Array.from(
        { length: 1000 },
        (_, index) => new File(['x'], `file-${index}.txt`, { type: 'text/plain' }),
      ),
    });
  });
  const result = await page.evaluate(async () => {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask' });
    const element = document.querySelector('convert-uploader') as BenchElement;
    element.autoStart = false;
    const files = (window as unknown as { benchFiles: File[] }).benchFiles;
    const started = performance.now();
    element.addFiles(files);
    while (element.shadowRoot?.querySelectorAll('[part="file"]').length !== 1000) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    const totalMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
    observer.disconnect();
    // The Long Tasks API reports only tasks over 50 ms; none reported means none that long.
    return { totalMs, longestTaskMs: Math.max(0, ...longTasks) };
  });
  await page.close();
  return result;
}

/** Upload time through the element against a bare XHR of the same file to the same server, alternating. */
export async function throughput(
  browser: Browser,
  server: PageServer,
  megabytes: number,
  rounds: number,
): Promise<{ elementMs: number; bareMs: number; ratio: number }> {
  const page = await openBenchPage(browser, server);
  const apiBase = server.backend.sandbox?.convertapi.base ?? '';
  await page.evaluate(
    (size) => {
      window.benchFile = new File([new Uint8Array(size)], 'payload.bin', {
        type: 'application/octet-stream',
      });
    },
    megabytes * 1024 * 1024,
  );
  const elementRun = () =>
    page.evaluate(async () => {
      const element = document.querySelector('convert-uploader') as BenchElement;
      element.clear();
      await element.updateComplete;
      const started = performance.now();
      element.addFiles([window.benchFile as File]);
      for (;;) {
        const status = element.items[0]?.status;
        if (status && status !== 'queued' && status !== 'uploading') break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return performance.now() - started;
    });
  const bareRun = () =>
    page.evaluate(async (base) => {
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
      return performance.now() - started;
    }, apiBase);
  const ratios: number[] = [];
  const elementTimes: number[] = [];
  const bareTimes: number[] = [];
  await bareRun();
  for (let round = 0; round < rounds; round += 1) {
    const [first, second] = round % 2 === 0 ? [bareRun, elementRun] : [elementRun, bareRun];
    const a = await first();
    const b = await second();
    const [bare, element] = round % 2 === 0 ? [a, b] : [b, a];
    bareTimes.push(bare);
    elementTimes.push(element);
    ratios.push(bare / element);
  }
  await page.close();
  return { elementMs: median(elementTimes), bareMs: median(bareTimes), ratio: median(ratios) };
}

/** JS heap before, at the peak during, and after uploading a large file through the element (DevTools protocol). */
export async function memory(
  browser: Browser,
  server: PageServer,
  megabytes: number,
): Promise<{ beforeMb: number; peakMb: number; afterMb: number }> {
  const page = await openBenchPage(browser, server);
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize / (1024 * 1024);
  };
  await page.evaluate(
    (size) => {
      window.benchFile = new File([new Uint8Array(size)], 'payload.bin', {
        type: 'application/octet-stream',
      });
    },
    megabytes * 1024 * 1024,
  );
  await cdp.send('HeapProfiler.collectGarbage');
  const beforeMb = await heap();
  await page.evaluate(() => {
    const element = document.querySelector('convert-uploader') as BenchElement;
    element.addFiles([window.benchFile as File]);
  });
  let peakMb = beforeMb;
  for (;;) {
    peakMb = Math.max(peakMb, await heap());
    const status = await page.evaluate(
      () => (document.querySelector('convert-uploader') as BenchElement).items[0]?.status,
    );
    if (status && status !== 'queued' && status !== 'uploading') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await cdp.send('HeapProfiler.collectGarbage');
  const afterMb = await heap();
  await page.close();
  return { beforeMb, peakMb, afterMb };
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
    for (;;) {
      const items = element.items;
      if (
        items.length === total &&
        items.every((item) => ['done', 'error', 'canceled'].includes(item.status))
      ) {
        return items.filter((item) => item.status !== 'done').length;
      }
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
