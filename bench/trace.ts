// Where the time goes: a Chromium trace of the page's main thread (its tasks, and the self time of what ran in
// them, by kind) and, for one profiled run, V8's CPU profile mapped through the source maps to source files.
import { basename } from 'node:path';
import type { Browser, Page } from 'playwright';
import type { SourceMaps } from './source-maps.js';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The page marks what is measured with `performance.mark(startMark)` and `performance.mark(endMark)`. */
export const startMark = 'bench:start';
export const endMark = 'bench:end';

// What the DevTools performance panel records, and the user timing marks.
const timeline = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'];
// For the profiled run: V8's compile, execute and GC events too.
const detailed = [...timeline, 'v8', 'v8.execute', 'disabled-by-default-v8.gc'];

export interface Recording<T> {
  result: T;
  events: TraceEvent[];
  profile?: CpuProfile;
}

/**
 * Runs `action` (which marks its start and end on the page) under a Chromium trace; with `profile`, also
 * under V8's CPU profiler, sampling every 50 µs. Profiling slows the page: a profiled run explains where the
 * time goes, the unprofiled runs give the figures.
 */
export async function traced<T>(
  browser: Browser,
  page: Page,
  action: () => Promise<T>,
  profile: boolean,
): Promise<Recording<T>> {
  const cdp = profile ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  }
  await browser.startTracing(page, { categories: profile ? detailed : timeline });
  let result: T;
  let cpuProfile: CpuProfile | undefined;
  let trace: Buffer;
  try {
    if (cdp) await cdp.send('Profiler.start');
    result = await action();
    if (cdp) cpuProfile = ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile;
  } finally {
    trace = await browser.stopTracing();
    await cdp?.detach();
  }
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  return { result, events, ...(cpuProfile ? { profile: cpuProfile } : {}) };
}

/** The measured stretch: between the two marks, on the thread that made them (the page's main thread). */
export interface Span {
  pid: number;
  tid: number;
  start: number;
  end: number;
}

export function markedSpan(events: readonly TraceEvent[]): Span {
  const start = events.find((event) => event.name === startMark);
  const end = events.findLast((event) => event.name === endMark);
  if (!start || !end) throw new Error('the trace holds no bench marks');
  return { pid: start.pid, tid: start.tid, start: start.ts, end: end.ts };
}

const complete = (event: TraceEvent): event is TraceEvent & { dur: number } =>
  event.ph === 'X' && typeof event.dur === 'number';

/** The main thread's tasks that overlap `span`, longest first (µs). */
export function tasks(events: readonly TraceEvent[], span: Span): { ts: number; dur: number }[] {
  return events
    .filter(complete)
    .filter(
      (event) =>
        event.name === 'RunTask' &&
        event.pid === span.pid &&
        event.tid === span.tid &&
        event.ts < span.end &&
        event.ts + event.dur > span.start,
    )
    .map((event) => ({ ts: event.ts, dur: event.dur }))
    .sort((a, b) => b.dur - a.dur);
}

/** The kind of work a trace event stands for, by its name and category. */
function kindOf(event: TraceEvent): string {
  const { name, cat } = event;
  if (name === 'RunTask') return 'task, not broken down';
  if (/gc/i.test(cat) || /GC|GarbageCollect/.test(name)) return 'GC';
  if (/compile|v8\.parse|CacheScript|produce.*Cache/i.test(name)) return 'parse and compile';
  if (/UpdateLayoutTree|RecalculateStyles|Style|CSSParser/i.test(name)) return 'style';
  if (/Layout/.test(name)) return 'layout';
  if (/Paint|Layerize|Commit|Raster|Composite|UpdateLayer|PrePaint/.test(name)) return 'paint';
  if (/ParseHTML|HTMLDocumentParser/.test(name)) return 'parse HTML';
  if (
    /FunctionCall|EvaluateScript|v8\.|V8\.|Microtask|TimerFire|FireAnimationFrame|EventDispatch|Script/.test(
      name,
    )
  )
    return 'script';
  return 'other';
}

/**
 * Self time (µs) by kind of work on the main thread in [from, to): each event cut to the range, minus the
 * events nested in it.
 */
export function selfTimeByKind(
  events: readonly TraceEvent[],
  span: Span,
  from = span.start,
  to = span.end,
): Map<string, number> {
  const own = events
    .filter(complete)
    .filter(
      (event) =>
        event.pid === span.pid && event.tid === span.tid && event.ts < to && event.ts + event.dur > from,
    )
    .map((event) => {
      const start = Math.max(event.ts, from);
      return { event, ts: start, dur: Math.min(event.ts + event.dur, to) - start };
    })
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const selfTimes = new Map<TraceEvent, number>();
  const stack: typeof own = [];
  for (const entry of own) {
    while (stack.length && (stack.at(-1)?.ts ?? 0) + (stack.at(-1)?.dur ?? 0) <= entry.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) selfTimes.set(parent.event, (selfTimes.get(parent.event) ?? parent.dur) - entry.dur);
    selfTimes.set(entry.event, entry.dur);
    stack.push(entry);
  }
  const byKind = new Map<string, number>();
  for (const [event, self] of selfTimes) {
    const kind = kindOf(event);
    byKind.set(kind, (byKind.get(kind) ?? 0) + Math.max(0, self));
  }
  return byKind;
}

export interface ProfileSummary {
  /** Sampled time in the range (µs). */
  total: number;
  /** Self time by function, `name (source:line)`, largest first (µs). */
  functions: [string, number][];
  /** Self time by source file (or V8's own entries: GC, program), largest first (µs). */
  files: [string, number][];
}

/** Self time of the CPU profile's samples taken in [from, to), by function and by source file. */
export function profileSelfTime(
  profile: CpuProfile,
  maps: SourceMaps,
  from: number,
  to: number,
): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  let time = profile.startTime;
  samples.forEach((id, index) => {
    time += deltas[index] ?? 0;
    // A sample stands for the time until the next one.
    const weight = deltas[index + 1] ?? 0;
    if (time < from || time >= to) return;
    const frame = nodes.get(id);
    if (!frame || frame.functionName === '(idle)') return;
    const original = frame.url ? maps.lookup(frame.url, frame.lineNumber, frame.columnNumber) : undefined;
    // Source-map names are rare at a function's start: the name V8 gives is then the minified one.
    // A script's own top level has no name and no position (-1) or the very start.
    const topLevel =
      !frame.functionName && (frame.lineNumber < 0 || (frame.lineNumber === 0 && frame.columnNumber === 0));
    const name = original?.name ?? (frame.functionName || (topLevel ? '(module top level)' : '(anonymous)'));
    const file = original?.source ?? (frame.url ? basename(frame.url) : frame.functionName);
    const where = original ? `${original.source}:${original.line}` : frame.url ? basename(frame.url) : '';
    const key = where ? `${where} ${name}` : name;
    functions.set(key, (functions.get(key) ?? 0) + weight);
    files.set(file, (files.get(file) ?? 0) + weight);
    total += weight;
  });
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { total, functions: sorted(functions), files: sorted(files) };
}

const ms = (micros: number) => `${(micros / 1000).toFixed(1)} ms`;

/** A few lines that say where the time of [from, to) went: by kind (trace), by file and function (profile). */
export function describe(
  recording: Recording<unknown>,
  maps: SourceMaps,
  from: number,
  to: number,
  span: Span,
): string[] {
  const kinds = [...selfTimeByKind(recording.events, span, from, to)].sort((a, b) => b[1] - a[1]);
  const lines = [
    `  by kind (trace, self time): ${kinds.map(([kind, time]) => `${kind} ${ms(time)}`).join(', ')}`,
  ];
  if (recording.profile) {
    const summary = profileSelfTime(recording.profile, maps, from, to);
    const share = (time: number) => `${Math.round((100 * time) / (summary.total || 1))} %`;
    lines.push(
      `  by file (CPU profile, self time, ${ms(summary.total)} sampled; "(program)" is the browser's own work outside JavaScript): ${summary.files
        .slice(0, 6)
        .map(([file, time]) => `${file} ${ms(time)} (${share(time)})`)
        .join(', ')}`,
      '  top functions (self time):',
      ...summary.functions.slice(0, 8).map(([name, time]) => `    ${ms(time).padStart(9)}  ${name}`),
    );
  }
  return lines;
}
