import type { LoggedRequest } from './backend-client.js';

declare global {
  var __consoleRecords: string[] | undefined;
}

/** Every place in the page a credential must never reach, as text. */
function pageSurfaces(): Record<string, string[]> {
  const markup: string[] = [];
  const attributes: string[] = [];
  const visit = (root: Document | ShadowRoot) => {
    markup.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.attributes) attributes.push(`${attribute.name}=${attribute.value}`);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  const storage = (area: Storage) => Object.keys(area).map((key) => `${key}=${area.getItem(key) ?? ''}`);
  return {
    markup,
    attributes,
    localStorage: storage(localStorage),
    sessionStorage: storage(sessionStorage),
    cookies: [document.cookie],
    console: [...(globalThis.__consoleRecords ?? [])],
    resourceUrls: performance.getEntriesByType('resource').map((entry) => entry.name),
  };
}

/**
 * Where any of `secrets` shows up in the page (DOM with shadow roots, attributes, storage,
 * cookies, console, resource URLs) or in the URL of a request the sandbox received; empty when clean.
 */
export function findLeaks(secrets: readonly string[], log: readonly LoggedRequest[] = []): string[] {
  const leaks: string[] = [];
  const surfaces = { ...pageSurfaces(), sandboxPaths: log.map((entry) => entry.path) };
  for (const [surface, texts] of Object.entries(surfaces)) {
    for (const secret of secrets) {
      if (secret.length >= 8 && texts.some((text) => text.includes(secret)))
        leaks.push(`${surface} holds a credential`);
    }
  }
  for (const entry of log) {
    if (entry.credential.where === 'query')
      leaks.push(`${entry.method} ${entry.path} sent a credential in its URL`);
  }
  return leaks;
}
