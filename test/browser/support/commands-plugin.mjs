// Server-side test commands that need the real browser page (Playwright), used through
// executeServerCommand from @web/test-runner-commands.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** `pick-files`: chooses files in the element's file input, as a person would in the picker. */
export function pickFilesPlugin() {
  return {
    name: 'pick-files',
    async executeCommand({ command, payload, session }) {
      if (command !== 'pick-files') return undefined;
      const page = session.browser.getPage(session.id);
      const files = payload.files.map((file) => ({
        name: file.name,
        mimeType: file.type,
        buffer: Buffer.from(file.content, 'utf8'),
      }));
      await page.locator(payload.selector).setInputFiles(files);
      return true;
    },
  };
}

/** `set-offline`: takes the page's network away, or gives it back (`payload.offline`). */
export function offlinePlugin() {
  return {
    name: 'set-offline',
    async executeCommand({ command, payload, session }) {
      if (command !== 'set-offline') return undefined;
      const page = session.browser.getPage(session.id);
      await page.context().setOffline(Boolean(payload.offline));
      return true;
    },
  };
}

/**
 * `drop-paths`: writes a folder tree to a new temporary folder (`payload.files`: relative path →
 * text; a path ending in `/` is an empty folder), then drops its top-level entries (or
 * `payload.drop`, relative paths) on the centre of `payload.selector`, as a person dragging them
 * from a file manager would. The drag goes through the DevTools protocol with paths on disk, so
 * Chromium builds a real drag: `webkitGetAsEntry()` gives file system entries, folders included.
 * Returns `{ root }`. `remove-dropped-paths` deletes every folder made so far (also done when the
 * server stops); files must stay on disk until the page has read them.
 */
export function dropPathsPlugin() {
  const roots = new Set();
  const removeAll = async () => {
    await Promise.all([...roots].map((root) => rm(root, { recursive: true, force: true })));
    roots.clear();
  };
  return {
    name: 'drop-paths',
    async serverStop() {
      await removeAll();
    },
    async executeCommand({ command, payload, session }) {
      if (command === 'remove-dropped-paths') {
        await removeAll();
        return true;
      }
      if (command !== 'drop-paths') return undefined;
      const root = await mkdtemp(join(tmpdir(), 'convert-uploader-drop-'));
      roots.add(root);
      for (const [relative, content] of Object.entries(payload.files)) {
        const target = join(root, relative);
        if (relative.endsWith('/')) await mkdir(target, { recursive: true });
        else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      const top = payload.drop ?? [
        ...new Set(Object.keys(payload.files).map((relative) => relative.split('/')[0])),
      ];
      const page = session.browser.getPage(session.id);
      const target = page.locator(payload.selector);
      await target.scrollIntoViewIfNeeded();
      const box = await target.boundingBox();
      if (!box) throw new Error(`drop-paths: ${payload.selector} is not visible`);
      const cdp = await page.context().newCDPSession(page);
      try {
        const data = { items: [], files: top.map((relative) => join(root, relative)), dragOperationsMask: 1 };
        for (const type of ['dragEnter', 'dragOver', 'drop']) {
          await cdp.send('Input.dispatchDragEvent', {
            type,
            x: box.x + box.width / 2,
            y: box.y + box.height / 2,
            data,
          });
        }
      } finally {
        await cdp.detach();
      }
      return { root };
    },
  };
}
