// Server-side test commands that need the real browser page (Playwright), used through
// executeServerCommand from @web/test-runner-commands.

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
