// The package as a site gets it: `npm pack` of this workspace (its `prepare` script builds dist/), installed from
// the local file into an empty project, ships only the built files, and its bin starts a sandbox that converts
// text with pdf-lib and images with sharp. (Dependencies come from npm's cache when they are in it.)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';

const packageDir = join(import.meta.dirname, '..');
/** A 1×1 red PNG. */
const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

interface StartLine {
  url: string;
  convertapi: { base: string; secret: string };
}

interface ConvertAnswer {
  Files: { FileName: string; Url: string }[];
}

/** Bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

describe('npm install convert-uploader-sandbox (the packed tarball, into an empty project)', () => {
  let project: string;
  let packedFiles: string[];
  let child: ReturnType<typeof spawn> | undefined;
  let started: StartLine;

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'convert-uploader-sandbox-install-'));
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', project], {
        cwd: packageDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as [{ filename: string; files: { path: string }[] }];
    packedFiles = packed.files.map((file) => file.path);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'site-tests', private: true }));
    execFileSync('npm', ['install', `./${packed.filename}`, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: project,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    console.log(`  node_modules: ${(bytesUnder(join(project, 'node_modules')) / 1e6).toFixed(1)} MB`);

    child = spawn(join(project, 'node_modules', '.bin', 'convert-uploader-sandbox'), ['--port', '0'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const stdout = child.stdout;
    if (!stdout) throw new Error('no output from the bin');
    const line = (await createInterface({ input: stdout })[Symbol.asyncIterator]().next()).value as string;
    started = JSON.parse(line) as StartLine;
  });

  after(() => {
    child?.kill('SIGTERM');
    rmSync(project, { recursive: true, force: true });
  });

  it('ships the built files, README, licence and package.json only', () => {
    const unexpected = packedFiles.filter(
      (path) =>
        !['package.json', 'README.md', 'LICENSE'].includes(path) &&
        !/^dist\/[\w/.-]+\.(?:js|d\.ts)$/.test(path),
    );
    assert.deepEqual(unexpected, [], 'no sources, tests, fixtures or maps');
    assert.ok(packedFiles.includes('dist/cli.js') && packedFiles.includes('dist/index.d.ts'));
  });

  async function convert(from: string, to: string, file: Blob, name: string): Promise<Response> {
    const body = new FormData();
    body.append('File', file, name);
    body.append('StoreFile', 'true');
    const answer = await fetch(`${started.convertapi.base}/convert/${from}/to/${to}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${started.convertapi.secret}` },
      body,
    });
    assert.equal(answer.status, 200, await answer.clone().text());
    const [result] = ((await answer.json()) as ConvertAnswer).Files;
    assert.ok(result, 'one result file');
    return fetch(result.Url);
  }

  it('starts from its bin on loopback and converts text to PDF', async () => {
    assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const pdf = await convert('txt', 'pdf', new Blob(['Hello from an installed sandbox.']), 'hello.txt');
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
      '%PDF-',
    );
  });

  it('converts PNG to JPEG with its image library', async () => {
    const jpeg = await convert('png', 'jpg', new Blob([onePixelPng], { type: 'image/png' }), 'dot.png');
    const bytes = Buffer.from(await jpeg.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  });
});
