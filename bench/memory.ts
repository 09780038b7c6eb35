// What uploading a large file costs the page in memory, with two probes that both see ArrayBuffers:
//  - the renderer process's resident anonymous memory (RssAnon in /proc/<pid>/status: V8's heap, ArrayBuffer
//    backing stores, Blink's own allocations, everything the page's process holds in RAM). This is the budget's
//    figure. The renderer is the process a Chromium trace names for the page's frame.
//  - V8's figures for the page (CDP Runtime.getHeapUsage): usedSize + backingStorageSize (ArrayBuffer backing
//    stores; the older measure took usedSize alone and missed them) + embedderHeapUsedSize (Blink's heap).
// `performance.memory` would see ArrayBuffers too, but only with Chromium started with
// --enable-precise-memory-info (otherwise its figures are coarse buckets); these two need no flag.
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright';
import type { PageServer } from '../test/node/helpers/page-server.js';
import { fileInputId } from './page.js';

declare global {
  interface Window {
    benchUpload?: () => unknown;
    benchUploadDone?: () => boolean;
  }
}

export interface Reading {
  before: number;
  peak: number;
  after: number;
}

/** MiB, before the upload (after a GC), at the peak while it ran, and after it (after a GC). */
export interface MemoryProbe {
  renderer: Reading;
  v8: Reading;
  uploadMs: number;
}

const mib = 1024 * 1024;

/**
 * The OS process id of the renderer that runs `page`: Chromium names it when a trace starts (the
 * `TracingStartedInBrowser` event lists each frame with its process).
 */
async function rendererPid(browser: Browser, page: Page): Promise<number> {
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline'] });
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as {
    traceEvents: { name: string; args?: { data?: { frames?: { url: string; processId: number }[] } } }[];
  };
  const pids = new Set(
    trace.traceEvents
      .filter((event) => event.name === 'TracingStartedInBrowser')
      .flatMap((event) => event.args?.data?.frames ?? [])
      .filter((frame) => frame.url === page.url())
      .map((frame) => frame.processId),
  );
  const [pid] = pids;
  if (pids.size !== 1 || pid === undefined) throw new Error(`cannot tell the renderer of ${page.url()}`);
  return pid;
}

function rendererMib(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^RssAnon:\s+(\d+) kB/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no RssAnon in /proc/${pid}/status`);
  return Number(kib) / 1024;
}

async function v8Mib(cdp: CDPSession): Promise<number> {
  const usage = (await cdp.send('Runtime.getHeapUsage')) as {
    usedSize: number;
    backingStorageSize?: number;
    embedderHeapUsedSize?: number;
  };
  if (usage.backingStorageSize === undefined)
    throw new Error('this Chromium does not report ArrayBuffer backing stores (backingStorageSize)');
  return (usage.usedSize + usage.backingStorageSize + (usage.embedderHeapUsedSize ?? 0)) / mib;
}

/**
 * Opens `path` (a `memoryPage`), picks the file at `file` in its input, and measures both probes before,
 * during (every 50 ms, the peak) and after `benchUpload()`, until `benchUploadDone()` (at most `limitMs`).
 */
export async function uploadMemory(
  browser: Browser,
  server: PageServer,
  path: string,
  file: string,
  limitMs = 120_000,
): Promise<MemoryProbe> {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.origin}${path}`);
    await page.waitForFunction(() => typeof window.benchUpload === 'function');
    await page.setInputFiles(`#${fileInputId}`, file);
    const pid = await rendererPid(browser, page);
    const cdp = await page.context().newCDPSession(page);
    const settled = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { renderer: rendererMib(pid), v8: await v8Mib(cdp) };
    };
    const before = await settled();
    const peak = { ...before };
    const started = Date.now();
    await page.evaluate(() => {
      void window.benchUpload?.();
    });
    for (;;) {
      peak.renderer = Math.max(peak.renderer, rendererMib(pid));
      peak.v8 = Math.max(peak.v8, await v8Mib(cdp));
      if (await page.evaluate(() => window.benchUploadDone?.() ?? false)) break;
      if (Date.now() - started > limitMs) throw new Error(`the upload on ${path} took over ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const uploadMs = Date.now() - started;
    peak.renderer = Math.max(peak.renderer, rendererMib(pid));
    peak.v8 = Math.max(peak.v8, await v8Mib(cdp));
    const after = await settled();
    await cdp.detach();
    return {
      renderer: { before: before.renderer, peak: peak.renderer, after: after.renderer },
      v8: { before: before.v8, peak: peak.v8, after: after.v8 },
      uploadMs,
    };
  } finally {
    await page.close();
  }
}

export const growth = (reading: Reading) => reading.peak - reading.before;
