// Preloaded with `node --import` before a module under test: browser globals become accessors that record
// who reads or writes them. While armed, a read or write from the project's own code (anything outside
// node_modules) throws, so a module that touches them at load time fails to import. The test disarms the
// trap after the import (`globalThis[Symbol.for('dom-globals-trap')].disarm()`), and the records go to
// stdout as one JSON line, prefixed by `dom-globals-trap:`, when the process exits.
import { fileURLToPath } from 'node:url';

export const trappedGlobals = [
  'window',
  'document',
  'customElements',
  'HTMLElement',
  'navigator',
  'location',
  'self',
  'localStorage',
  'sessionStorage',
  'requestAnimationFrame',
  'matchMedia',
];

const trapFile = fileURLToPath(import.meta.url);
const touches = [];
let armed = true;

/** The first stack frame outside this file: `file:line:column` of the code that touched the global. */
function caller() {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    const match = /\(?((?:file:\/\/|\/)[^\s()]+):\d+:\d+\)?$/.exec(frame.trim());
    if (!match) continue;
    const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
    if (file !== trapFile) return frame.trim().replace(/^at /, '');
  }
  return 'unknown';
}

function record(name, operation) {
  if (!armed) return;
  const by = caller();
  const ours = !by.includes('/node_modules/') && by !== 'unknown';
  touches.push({ name, operation, by, ours });
  if (ours) throw new Error(`${by} touched globalThis.${name} (${operation}) at module load`);
}

for (const name of trappedGlobals) {
  if (Object.getOwnPropertyDescriptor(globalThis, name)) {
    // Node versions that have one of these (navigator from Node 21) keep it, unwatched: say so.
    touches.push({ name, operation: 'present before import', by: 'node', ours: false });
    continue;
  }
  let value;
  let assigned = false;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      record(name, 'read');
      return assigned ? value : undefined;
    },
    set(next) {
      record(name, 'write');
      value = next;
      assigned = true;
    },
  });
}

globalThis[Symbol.for('dom-globals-trap')] = {
  disarm() {
    armed = false;
  },
};

process.on('exit', () => {
  process.stdout.write(`dom-globals-trap:${JSON.stringify(touches)}\n`);
});
