import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { startSandbox } from '../src/index.js';
import type { Sandbox } from '../src/index.js';
import { control, rawRequest } from './helpers/sandbox-http.js';

const ORIGIN = 'http://app.test';

function preflight(url: string, method = 'POST', headers = 'authorization,content-type'): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      Origin: ORIGIN,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': headers,
    },
  });
}

function corsHeaderNames(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.startsWith('access-control-'));
}

describe('sandbox core', () => {
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  it('publishes the service URLs under one origin and fresh credentials', () => {
    const { url, convertapi, cloudconvert } = sandbox;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(convertapi.base, `${url}/convertapi`);
    assert.equal(cloudconvert.api, `${url}/cloudconvert/api/v2`);
    assert.equal(cloudconvert.sync, `${url}/cloudconvert/sync/v2`);
    assert.equal(cloudconvert.storage, `${url}/cloudconvert/storage`);
    assert.equal(cloudconvert.oauth, `${url}/cloudconvert/oauth`);
    for (const credential of [
      convertapi.secret,
      convertapi.apiKey,
      cloudconvert.apiKey,
      cloudconvert.clientSecret,
    ]) {
      assert.ok(credential.length >= 9);
    }
  });

  it('generates different credentials at every start', async () => {
    const other = await startSandbox();
    try {
      assert.notEqual(other.convertapi.secret, sandbox.convertapi.secret);
      assert.notEqual(other.cloudconvert.apiKey, sandbox.cloudconvert.apiKey);
      assert.notEqual(other.url, sandbox.url);
    } finally {
      await other.close();
    }
  });

  it('routes by mount prefix and answers 404 elsewhere', async () => {
    assert.equal((await fetch(`${sandbox.url}/nowhere`)).status, 404);
    assert.equal((await fetch(`${sandbox.url}/convertapiX/user`)).status, 404);
    const info = await fetch(`${sandbox.convertapi.base}/info`);
    assert.equal(info.status, 200);
    const me = await fetch(`${sandbox.cloudconvert.api}/users/me`, {
      headers: { Authorization: `Bearer ${sandbox.cloudconvert.apiKey}` },
    });
    assert.equal(me.status, 200);
    const entries = sandbox.requests().slice(-2);
    assert.deepEqual(
      entries.map((entry) => [entry.service, entry.path]),
      [
        ['convertapi', '/info'],
        ['cloudconvert-api', '/v2/users/me'],
      ],
    );
  });

  describe('CORS', () => {
    it('ConvertAPI: any origin, the headers its browser clients send, Content-Disposition exposed', async () => {
      const answer = await preflight(
        `${sandbox.convertapi.base}/upload`,
        'POST',
        'content-disposition,content-type',
      );
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), '*');
      assert.match(answer.headers.get('access-control-allow-methods') ?? '', /POST/);
      for (const header of ['Authorization', 'Content-Type', 'Content-Disposition']) {
        assert.match(answer.headers.get('access-control-allow-headers') ?? '', new RegExp(header));
      }
      assert.ok(Number(answer.headers.get('access-control-max-age')) > 0);
      const info = await fetch(`${sandbox.convertapi.base}/info`, { headers: { Origin: ORIGIN } });
      assert.equal(info.headers.get('access-control-allow-origin'), '*');
      assert.match(info.headers.get('access-control-expose-headers') ?? '', /Content-Disposition/);
    });

    it('CloudConvert api and sync: the origin echoed with credentials allowed', async () => {
      for (const base of [sandbox.cloudconvert.api, sandbox.cloudconvert.sync]) {
        const answer = await preflight(`${base}/jobs`);
        assert.equal(answer.status, 204);
        assert.equal(answer.headers.get('access-control-allow-origin'), ORIGIN);
        assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
        assert.match(answer.headers.get('vary') ?? '', /Origin/);
        assert.match(answer.headers.get('access-control-allow-headers') ?? '', /authorization/i);
      }
      const me = await fetch(`${sandbox.cloudconvert.api}/users/me`, {
        headers: { Origin: ORIGIN, Authorization: `Bearer ${sandbox.cloudconvert.apiKey}` },
      });
      assert.equal(me.headers.get('access-control-allow-origin'), ORIGIN);
      assert.equal(me.headers.get('access-control-allow-credentials'), 'true');
    });

    it('CloudConvert storage: CORS can be switched off entirely, and on again', async () => {
      const target = `${sandbox.cloudconvert.storage}/tasks`;
      const on = await preflight(target, 'POST', 'content-type');
      assert.equal(on.status, 204);
      assert.equal(on.headers.get('access-control-allow-origin'), ORIGIN);

      sandbox.setStorageCors(false);
      const off = await preflight(target, 'POST', 'content-type');
      assert.equal(off.status, 403);
      assert.deepEqual(corsHeaderNames(off.headers), []);
      const get = await fetch(target, { headers: { Origin: ORIGIN } });
      assert.deepEqual(corsHeaderNames(get.headers), []);

      const configured = await control(sandbox.url, 'POST', '/config', { storageCors: true });
      assert.equal(configured.status, 200);
      assert.equal(((await configured.json()) as { storageCors: boolean }).storageCors, true);
      assert.equal((await preflight(target, 'POST', 'content-type')).status, 204);
    });

    it('CloudConvert OAuth host answers preflights', async () => {
      const answer = await preflight(`${sandbox.cloudconvert.oauth}/token`, 'POST', 'content-type');
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), ORIGIN);
    });

    it('control routes are open to any origin', async () => {
      const answer = await preflight(`${sandbox.url}/__sandbox/faults`, 'POST', 'content-type');
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('access-control-allow-origin'), ORIGIN);
      const list = await fetch(`${sandbox.url}/__sandbox/requests`, { headers: { Origin: ORIGIN } });
      assert.equal(list.headers.get('access-control-allow-origin'), ORIGIN);
    });
  });

  describe('control API', () => {
    it('lists the request log with a `since` filter, and clears it', async () => {
      await fetch(`${sandbox.convertapi.base}/info`);
      const all = (await (await control(sandbox.url, 'GET', '/requests')).json()) as Array<{ seq: number }>;
      const last = all.at(-1)!;
      await fetch(`${sandbox.convertapi.base}/user`);
      const since = (await (
        await control(sandbox.url, 'GET', `/requests?since=${last.seq}`)
      ).json()) as Array<{
        path: string;
        status: number;
        credential: unknown;
      }>;
      assert.deepEqual(
        since.map(({ path, status, credential }) => ({ path, status, credential })),
        [{ path: '/user', status: 401, credential: { kind: 'none', where: 'none' } }],
      );
      assert.equal((await control(sandbox.url, 'DELETE', '/requests')).status, 204);
      assert.deepEqual(sandbox.requests(), []);
    });

    it('validates config changes', async () => {
      assert.equal((await control(sandbox.url, 'POST', '/config', { storageCors: 'yes' })).status, 400);
      assert.equal((await control(sandbox.url, 'POST', '/config', { unknown: 1 })).status, 400);
      const config = (await (await control(sandbox.url, 'GET', '/config')).json()) as Record<string, unknown>;
      assert.equal(config['storageCors'], true);
      assert.equal(typeof config['convertApiConversionsLeft'], 'number');
      assert.equal((await control(sandbox.url, 'GET', '/nothing')).status, 404);
    });
  });

  it('never records a credential value in the request log', async () => {
    const { base, secret, apiKey } = sandbox.convertapi;
    const tokenAnswer = await fetch(`${base}/token/create?RequestCount=5`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}` },
    });
    const { Tokens } = (await tokenAnswer.json()) as { Tokens: Array<{ Id: string }> };
    const token = Tokens[0]!.Id;
    const jwt = await new SignJWT({
      Id: 'logcheck',
      RequestCount: 1,
      ValidUntil: Math.floor(Date.now() / 1000) + 60,
      ApiKey: apiKey,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(secret));
    const wrongSecret = `${secret}x`;

    await fetch(`${base}/user?Secret=${encodeURIComponent(secret)}`);
    await fetch(`${base}/user?secret=${encodeURIComponent(wrongSecret)}`);
    await fetch(`${base}/convert/txt/to/pdf?Token=${token}&File=nothing`, { method: 'POST' });
    await fetch(`${base}/convert/txt/to/pdf`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${jwt}` },
    });
    await fetch(`${base}/convert/txt/to/pdf`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    await fetch(`${base}/token/${token}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${secret}` },
    });
    await fetch(`${sandbox.cloudconvert.api}/users/me`, {
      headers: { Authorization: `Bearer ${sandbox.cloudconvert.apiKey}` },
    });

    const logText =
      JSON.stringify(sandbox.requests()) + (await (await control(sandbox.url, 'GET', '/requests')).text());
    for (const value of [
      secret,
      wrongSecret,
      token,
      jwt,
      sandbox.cloudconvert.apiKey,
      sandbox.cloudconvert.clientSecret,
    ]) {
      assert.ok(!logText.includes(value), 'a credential value leaked into the request log');
    }
    const kinds = sandbox.requests().map((entry) => `${entry.credential.kind}/${entry.credential.where}`);
    for (const expected of ['secret/query', 'token/query', 'jwt/header', 'token/header', 'secret/header']) {
      assert.ok(kinds.includes(expected), `log notes ${expected}`);
    }
    assert.ok(sandbox.requests().some((entry) => entry.method === 'DELETE' && entry.path === '/token/{id}'));
  });
});

describe('convert-uploader-sandbox CLI', () => {
  it('prints one JSON line, serves conversions, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--no-libreoffice'],
      {
        cwd: join(import.meta.dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout });
    const firstLine = new Promise<string>((resolve, reject) => {
      reader.on('line', (line) => {
        lines.push(line);
        if (lines.length === 1) resolve(line);
      });
      child.once('exit', () => {
        reject(new Error('the CLI exited before printing'));
      });
    });
    const workDir = await mkdtemp(join(tmpdir(), 'sandbox-cli-test-'));
    try {
      const info = JSON.parse(await firstLine) as Sandbox;
      assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      // The engines found are part of the one JSON line; --no-libreoffice leaves LibreOffice out.
      assert.equal(info.engines.libreoffice, null);
      assert.ok(info.engines.javascript.includes('pdf-lib'));
      assert.ok('pdftoppm' in info.engines && 'pdftotext' in info.engines);
      assert.ok(info.convertapi.secret && info.cloudconvert.apiKey && info.cloudconvert.clientSecret);

      const converted = await fetch(`${info.convertapi.base}/convert/txt/to/pdf`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${info.convertapi.secret}`,
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': 'attachment; filename="note.txt"',
          Accept: 'application/octet-stream',
        },
        body: 'Rendered by pdftoppm.\nSecond line.',
      });
      assert.equal(converted.status, 200);
      const pdf = Buffer.from(await converted.arrayBuffer());
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

      if (existsSync('/usr/bin/pdftoppm')) {
        const pdfPath = join(workDir, 'note.pdf');
        await writeFile(pdfPath, pdf);
        const code = await new Promise<number | null>((resolve) =>
          spawn('/usr/bin/pdftoppm', ['-png', '-r', '30', pdfPath, join(workDir, 'page')]).once(
            'exit',
            resolve,
          ),
        );
        assert.equal(code, 0);
        const pngs = (await readdir(workDir)).filter((name) => name.endsWith('.png'));
        assert.ok(pngs.length >= 1, 'pdftoppm rendered a page');
      }

      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(lines.length, 1, 'exactly one line on stdout');
      await assert.rejects(rawRequest(`${info.url}/convertapi/info`));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
