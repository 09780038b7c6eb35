// Every runtime the README names runs the server kit as it ships (dist/server.js): Node, workerd (through
// Miniflare), Deno and Bun, each from its npm package. Each serves the same smoke-test site
// (helpers/runtimes/app.mjs) and passes the same flow against the sandbox: a ConvertAPI token that converts,
// then a CloudConvert job created, uploaded to, and followed through its status route to `finished`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import { decodeJwt } from 'jose';
import { ensureBuilt } from '../helpers/build.js';
import { spawnServing, type ServingProcess } from '../helpers/kit-instances.js';
import { CookieJar } from '../helpers/server-cookie-jar.js';
import { TEST_KEY } from '../helpers/server-fixtures.js';
import { convertApiConvert, convertApiUpload } from '../helpers/server-sandbox-flows.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const entries = join(root, 'test/node/helpers/runtimes');
const require = createRequire(import.meta.url);

let sandbox: Sandbox | undefined;
let config = '';

before(async () => {
  await ensureBuilt();
  sandbox = await startSandbox({ port: 0, processingMs: 50 });
  config = JSON.stringify({
    convertapi: sandbox.convertapi,
    cloudconvert: sandbox.cloudconvert,
    ticketSecret: TEST_KEY,
  });
});
after(async () => {
  await sandbox?.close();
});

/** A runtime's binary from its npm package (a devDependency); a clear error when it is not installed. */
function binary(name: string): string {
  const path = join(root, 'node_modules/.bin', name);
  if (!existsSync(path))
    throw new Error(`${name} is not installed: run npm install (it is a devDependency).`);
  return path;
}

/** The smoke flow against a site at `base`; `headers` are what the platform's edge would add. */
async function smokeFlow(base: string, headers: Record<string, string> = {}): Promise<void> {
  const post = (path: string, body: unknown, jar?: CookieJar) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers, ...(jar ? { Cookie: jar.header() } : {}) },
      body: JSON.stringify(body),
    });
  const text = 'Converted by the server kit on another runtime.';

  // ConvertAPI: a JWT bound to the client's IP, good for one conversion.
  const tokenAnswer = await post('/api/convert/token', {
    provider: 'convertapi',
    to: 'pdf',
    files: [{ name: 'note.txt', size: text.length, type: 'text/plain' }],
  });
  assert.equal(tokenAnswer.status, 200, await tokenAnswer.clone().text());
  const { token } = (await tokenAnswer.json()) as { token: string };
  assert.equal(decodeJwt(token)['UserIp'], '127.0.0.1');
  const convertapi = (sandbox as Sandbox).convertapi.base;
  const converted = await convertApiConvert(
    convertapi,
    token,
    await convertApiUpload(convertapi, 'note.txt', text),
  );
  assert.equal(converted.status, 200);

  // CloudConvert server job: create, upload, follow the status route (bound to the visitor cookie) to the end.
  const jar = new CookieJar();
  const created = await post(
    '/api/convert/jobs',
    {
      provider: 'cloudconvert',
      to: 'pdf',
      files: [{ name: 'note.txt', size: text.length, type: 'text/plain' }],
    },
    jar,
  );
  jar.take(created);
  assert.equal(created.status, 200, await created.clone().text());
  const { statusUrl, job } = (await created.json()) as {
    statusUrl: string;
    job: { tasks: Array<{ result?: { form?: { url: string; parameters: Record<string, string> } } }> };
  };
  const form = job.tasks.find((task) => task.result?.form)?.result?.form;
  assert.ok(form);
  const upload = new FormData();
  for (const [key, value] of Object.entries(form.parameters)) upload.append(key, value);
  upload.append('file', new Blob([text], { type: 'text/plain' }), 'note.txt');
  const uploaded = await fetch(form.url, { method: 'POST', body: upload });
  await uploaded.arrayBuffer();
  assert.ok(uploaded.ok);
  let body: {
    job: { status: string; tasks: Array<{ name: string; result?: { files?: Array<{ url: string }> } }> };
  };
  for (let poll = 0; ; poll += 1) {
    const status = await fetch(new URL(statusUrl, base), { headers: { ...headers, Cookie: jar.header() } });
    assert.equal(status.status, 200);
    body = (await status.json()) as typeof body;
    if (body.job.status === 'finished' || poll > 200) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(body.job.status, 'finished');
  assert.ok(body.job.tasks.some((task) => task.name.startsWith('export') && task.result?.files?.[0]?.url));
}

/** Runs `command` (serving the site), the smoke flow against it, and stops it. */
async function serveAndSmoke(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<void> {
  let site: ServingProcess | undefined;
  try {
    site = await spawnServing(command, args, { RUNTIME_APP: config, ...env });
    await smokeFlow(site.url);
  } finally {
    await site?.stop();
  }
}

/** Every module a Worker needs: `entry`, the files it imports, and jose (its only dependency), by path. */
function workerModules(entry: string): Array<{ type: 'ESModule'; path: string; contents: string }> {
  const modules = new Map<string, string>();
  const josePath = require.resolve('jose');
  const visit = (path: string) => {
    if (modules.has(path)) return;
    let source = readFileSync(path, 'utf8');
    // workerd resolves relative imports itself; the one bare specifier is jose.
    source = source.replace(/(from\s*|import\s*)(['"])jose\2/g, (_match, keyword: string, quote: string) => {
      const target = relative(dirname(path), josePath).split('\\').join('/');
      return `${keyword}${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
    });
    modules.set(path, source);
    for (const [, specifier] of source.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      visit(resolve(dirname(path), specifier as string));
    }
  };
  visit(entry);
  return [...modules].map(([path, contents]) => ({ type: 'ESModule', path, contents }));
}

describe('the server kit as it ships, on every runtime the README names', () => {
  it('Node: token, job, status', () => serveAndSmoke(process.execPath, [join(entries, 'node.mjs')]));

  it('Deno (npm package deno): token, job, status', () =>
    serveAndSmoke(
      binary('deno'),
      ['run', '--allow-net', '--allow-env', '--allow-read', join(entries, 'deno.mjs')],
      {
        DENO_NO_UPDATE_CHECK: '1',
        NO_COLOR: '1',
      },
    ));

  it('Bun (npm package bun): token, job, status', () =>
    serveAndSmoke(binary('bun'), ['run', join(entries, 'bun.mjs')]));

  it('workerd through Miniflare (npm package miniflare): token, job, status', async () => {
    const { Miniflare, fetch: nodeFetch } = await import('miniflare');
    const entry = join(entries, 'worker.mjs');
    const worker = new Miniflare({
      modules: workerModules(entry),
      modulesRoot: root,
      compatibilityDate: '2025-01-01',
      bindings: { RUNTIME_APP: config },
      // workerd reaches only public addresses; the Worker's calls to the loopback sandbox go through Node.
      outboundService: (request) => nodeFetch(request),
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const url = await worker.ready;
      await smokeFlow(url.origin.replace('localhost', '127.0.0.1'), { 'CF-Connecting-IP': '127.0.0.1' });
    } finally {
      await worker.dispose();
    }
  });
});
