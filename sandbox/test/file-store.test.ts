import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { BodyError } from '../src/body.js';
import { FileStore, StoredFileNotFoundError, randomId } from '../src/file-store.js';

const stores: FileStore[] = [];
function makeStore(options: ConstructorParameters<typeof FileStore>[0] = {}): FileStore {
  const store = new FileStore(options);
  stores.push(store);
  return store;
}
after(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('FileStore', () => {
  test('randomId gives lower-case alphanumeric ids of the requested length', () => {
    assert.match(randomId(), /^[a-z0-9]{32}$/);
    assert.match(randomId(12), /^[a-z0-9]{12}$/);
    assert.notEqual(randomId(), randomId());
  });

  test('putBuffer stores bytes with metadata and a 32-character id', async () => {
    const store = makeStore({ now: () => 1_000_000 });
    const file = await store.putBuffer(Buffer.from('hello'), 'a.txt', { contentType: 'text/plain' });
    assert.match(file.id, /^[a-z0-9]{32}$/);
    assert.equal(file.name, 'a.txt');
    assert.equal(file.size, 5);
    assert.equal(file.contentType, 'text/plain');
    assert.equal(file.createdAt, 1_000_000);
    assert.equal(file.expiresAt, 1_000_000 + 3 * 60 * 60 * 1000);
    assert.ok(file.path.startsWith(store.dir));
    assert.deepEqual(store.get(file.id), file);
    assert.equal((await store.read(file.id)).toString(), 'hello');
    assert.equal((await collect(store.createReadStream(file.id))).toString(), 'hello');
  });

  test('content type defaults to application/octet-stream; Uint8Array input works', async () => {
    const store = makeStore();
    const file = await store.putBuffer(new Uint8Array([1, 2, 3]), 'x.bin');
    assert.equal(file.contentType, 'application/octet-stream');
    assert.deepEqual([...(await store.read(file.id))], [1, 2, 3]);
  });

  test('idLength and caller-supplied ids are honoured; a reused id replaces the file', async () => {
    const store = makeStore({ idLength: 10 });
    assert.match((await store.putBuffer(Buffer.from('a'), 'a')).id, /^[a-z0-9]{10}$/);
    const first = await store.putBuffer(Buffer.from('one'), 'one.txt', { id: 'task-1_file' });
    const second = await store.putBuffer(Buffer.from('two'), 'two.txt', { id: 'task-1_file' });
    assert.equal(first.id, 'task-1_file');
    assert.equal(store.get('task-1_file')?.name, 'two.txt');
    assert.equal((await store.read(second.id)).toString(), 'two');
    await assert.rejects(store.putBuffer(Buffer.from('x'), 'x', { id: '../escape' }), TypeError);
  });

  test('putStream streams to disk and counts the size', async () => {
    const store = makeStore();
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(1000, i));
    const file = await store.putStream(Readable.from(chunks), 'big.bin', {
      contentType: 'application/x-test',
    });
    assert.equal(file.size, 50_000);
    assert.equal(file.contentType, 'application/x-test');
    assert.deepEqual(await store.read(file.id), Buffer.concat(chunks));
  });

  test('putStream past maxBytes rejects too-large, removes the partial file and drains the source', async () => {
    const store = makeStore();
    const source = Readable.from([Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)], {
      autoDestroy: false,
    });
    await assert.rejects(
      store.putStream(source, 'big.bin', { maxBytes: 1000 }),
      (error: unknown) => error instanceof BodyError && error.kind === 'too-large',
    );
    assert.equal(
      source.destroyed,
      false,
      'the source (often a request) must survive so a response can be sent',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(source.readableEnded, true, 'source is drained to its end');
    assert.deepEqual(await readdir(store.dir), []);
    assert.equal(store.list().length, 0);
  });

  test('putStream of a failing stream rejects aborted and leaves nothing behind', async () => {
    const store = makeStore();
    const source = new Readable({ read() {} });
    const pending = store.putStream(source, 'cut.bin');
    source.push(Buffer.alloc(100));
    setImmediate(() => source.destroy(new Error('connection reset')));
    await assert.rejects(pending, (error: unknown) => error instanceof BodyError && error.kind === 'aborted');
    assert.deepEqual(await readdir(store.dir), []);
  });

  test('expired files vanish from get/read/delete and from disk', async () => {
    let clock = 0;
    const store = makeStore({ ttlMs: 1000, now: () => clock });
    const file = await store.putBuffer(Buffer.from('x'), 'x.txt');
    clock = 999;
    assert.ok(store.get(file.id));
    clock = 1000;
    assert.equal(store.get(file.id), undefined);
    await assert.rejects(store.read(file.id), StoredFileNotFoundError);
    assert.throws(() => store.createReadStream(file.id), StoredFileNotFoundError);
    assert.equal(await store.delete(file.id), false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(existsSync(file.path), false);
  });

  test('sweep removes expired files without them being accessed', async () => {
    let clock = 0;
    const store = makeStore({ ttlMs: 100, now: () => clock });
    const old = await store.putBuffer(Buffer.from('old'), 'old.txt');
    clock = 50;
    const fresh = await store.putBuffer(Buffer.from('new'), 'new.txt');
    clock = 120;
    store.sweep();
    assert.deepEqual(
      store.list().map((file) => file.id),
      [fresh.id],
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(existsSync(old.path), false);
    assert.equal(existsSync(fresh.path), true);
  });

  test('delete removes the file and reports whether it existed', async () => {
    const store = makeStore();
    const file = await store.putBuffer(Buffer.from('x'), 'x.txt');
    assert.equal(await store.delete(file.id), true);
    assert.equal(existsSync(file.path), false);
    assert.equal(store.get(file.id), undefined);
    assert.equal(await store.delete(file.id), false);
    assert.equal(await store.delete('unknown'), false);
  });

  test('close removes its temp dir (inside the given parent) and refuses new files', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'file-store-test-'));
    try {
      const store = new FileStore({ dir: parent });
      await store.putBuffer(Buffer.from('x'), 'x.txt');
      assert.ok(store.dir.startsWith(parent));
      await store.close();
      assert.equal(existsSync(store.dir), false);
      assert.equal(existsSync(parent), true, 'the parent dir is not the store’s to remove');
      await assert.rejects(store.putBuffer(Buffer.from('y'), 'y.txt'), /closed/);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
