import '../src/define.js';
import type { DemoConfig } from './backend.js';

// The landing page's wiring, through the element's public API only (properties, events, addFiles): the provider
// switch shows one of three widgets, the sample buttons add files to it, and the log shows what a host page
// receives. Nothing here ever holds a credential: the widgets fetch theirs from the token endpoints.

type Uploader = HTMLElementTagNameMap['convert-uploader'];
type Choice = 'convertapi' | 'cloudconvert-job' | 'cloudconvert-oauth';

function required(selector: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`The page has no ${selector}.`);
  return element;
}

function uploader(selector: string): Uploader {
  const element = document.querySelector<Uploader>(selector);
  if (!element) throw new Error(`The page has no ${selector}.`);
  return element;
}

const widgets: Record<Choice, Uploader> = {
  convertapi: uploader('#convertapi-uploader'),
  'cloudconvert-job': uploader('#cloudconvert-uploader'),
  'cloudconvert-oauth': uploader('#cloudconvert-oauth-uploader'),
};
const choiceNames: Record<Choice, string> = {
  convertapi: 'ConvertAPI',
  'cloudconvert-job': 'CloudConvert (server job)',
  'cloudconvert-oauth': 'CloudConvert (OAuth)',
};
const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="provider"]')];
const providerStatus = required('#provider-status');
const log = required('#event-log');
const logEmpty = required('#log-empty');

const isChoice = (value: string): value is Choice => value in widgets;
let active: Choice = 'convertapi';
/** Set once the first choice is shown: later switches are noted in the log. */
let switched = false;

// ---- Events log ----

const maxEntries = 300;
/** The entry of each file's current progress phase, updated in place (progress fires once per frame). */
const progressEntries = new Map<string, HTMLLIElement>();

function addEntry(kind: string, name: string, text: string): HTMLLIElement {
  const stuckToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
  const entry = document.createElement('li');
  entry.className = `event-${kind}`;
  const label = document.createElement('span');
  label.className = 'event-name';
  label.textContent = name;
  entry.append(label, `: ${text}`);
  log.append(entry);
  while (log.children.length > maxEntries) log.firstElementChild?.remove();
  logEmpty.hidden = true;
  if (stuckToBottom) log.scrollTop = log.scrollHeight;
  return entry;
}

function addNote(text: string): void {
  const entry = document.createElement('li');
  entry.className = 'event-note';
  entry.textContent = text;
  log.append(entry);
  logEmpty.hidden = true;
  log.scrollTop = log.scrollHeight;
}

function percent(progress: number | null): string {
  return progress === null ? 'working…' : `${Math.round(progress * 100)}%`;
}

for (const widget of Object.values(widgets)) {
  widget.addEventListener('convert-added', (event) => {
    addEntry('added', 'convert-added', event.detail.items.map((item) => item.name).join(', '));
  });
  widget.addEventListener('convert-rejected', (event) => {
    addEntry('rejected', 'convert-rejected', `${event.detail.file.name}: ${event.detail.code}`);
  });
  widget.addEventListener('convert-progress', (event) => {
    const { item, phase, progress } = event.detail;
    const key = `${widget.id}:${item.id}:${phase}`;
    const text = `${item.name} ${phase === 'upload' ? 'uploading' : 'converting'} ${percent(progress)}`;
    const entry = progressEntries.get(key);
    if (entry?.isConnected) entry.lastChild?.replaceWith(`: ${text}`);
    else progressEntries.set(key, addEntry('progress', 'convert-progress', text));
  });
  widget.addEventListener('convert-success', (event) => {
    const { item, results } = event.detail;
    addEntry(
      'success',
      'convert-success',
      `${item.name} → ${results.map((result) => result.name).join(', ')}`,
    );
  });
  widget.addEventListener('convert-error', (event) => {
    addEntry('error', 'convert-error', `${event.detail.item.name}: ${event.detail.error.code}`);
  });
  widget.addEventListener('convert-complete', (event) => {
    const { succeeded, failed, canceled } = event.detail;
    addEntry(
      'complete',
      'convert-complete',
      `${succeeded} succeeded, ${failed} failed, ${canceled} canceled`,
    );
  });
}

required('#clear-log').addEventListener('click', () => {
  log.replaceChildren();
  progressEntries.clear();
  logEmpty.hidden = false;
});

// ---- Install snippet ----

const copyStatus = required('#copy-status');
required('#copy-install').addEventListener('click', () => {
  const command = required('#install-command').textContent;
  navigator.clipboard.writeText(command).then(
    () => (copyStatus.textContent = 'Copied'),
    () => (copyStatus.textContent = 'Select it and copy'),
  );
});

// ---- The backend's services ----

const config = (await (await fetch('/api/demo-config')).json()) as DemoConfig;
const { cloudconvert } = config;
const { oauth } = cloudconvert;

if (config.convertapi.apiBase) widgets.convertapi.apiBase = config.convertapi.apiBase;
widgets['cloudconvert-job'].tokenEndpoint = cloudconvert.jobEndpoint;
if (cloudconvert.apiBase) widgets['cloudconvert-job'].apiBase = cloudconvert.apiBase;
if (oauth) {
  widgets['cloudconvert-oauth'].tokenEndpoint = oauth.tokenEndpoint;
  if (oauth.apiBase) widgets['cloudconvert-oauth'].apiBase = oauth.apiBase;
  widgets['cloudconvert-oauth'].sandbox = oauth.sandbox;
}

describeServices();

function describeServices(): void {
  const sandboxed = [
    config.convertapi.service === 'sandbox' && 'ConvertAPI',
    cloudconvert.service === 'sandbox' && 'CloudConvert',
  ].filter(Boolean);
  const note = required('#service-note');
  const strong = document.createElement('strong');
  if (sandboxed.length === 2) {
    strong.textContent = 'a local sandbox';
    note.replaceChildren(
      'Running on ',
      strong,
      ' of both services: no account needed, nothing leaves this machine.',
    );
  } else if (sandboxed.length === 1) {
    strong.textContent = `${sandboxed[0] === 'ConvertAPI' ? 'CloudConvert' : 'ConvertAPI'} for real`;
    note.replaceChildren(
      'Converting with ',
      strong,
      ` (this server's credentials); ${String(sandboxed[0])} is a local sandbox.`,
    );
  } else {
    strong.textContent = 'the real services';
    note.replaceChildren('Converting with ', strong, ", through this server's token endpoints.");
  }
  const footer = required('#footer-service');
  footer.textContent =
    sandboxed.length === 2
      ? 'This demo converts with a local sandbox of both services'
      : `This demo converts with ${sandboxed.length === 0 ? 'the real services' : `the real ${sandboxed[0] === 'ConvertAPI' ? 'CloudConvert' : 'ConvertAPI'}`}`;
  if (cloudconvert.service !== 'sandbox') required('#cloudconvert-oauth-host').textContent = 'CloudConvert';
}

// ---- Provider switch ----

const statusText: Record<Choice, string> = {
  convertapi: `${config.convertapi.service === 'sandbox' ? 'ConvertAPI (local sandbox)' : 'ConvertAPI'}: this page's token endpoint hands the widget a JWT good for a few minutes and a few files.`,
  'cloudconvert-job': 'Server-job mode: the backend creates each job with its API key.',
  'cloudconvert-oauth': 'Connected: the widget converts with a short-lived OAuth access token.',
};

const oauthRadio = radios.find((radio) => radio.value === 'cloudconvert-oauth');
const outcome = new URLSearchParams(location.search).get('cloudconvert');
const connected = Boolean(oauth) && outcome === 'connected';
// The widgets wait, disabled, until they know their services (the page's markup disables them): a file added
// before would go to the real services. OAuth's waits for a connection.
widgets.convertapi.disabled = false;
widgets['cloudconvert-job'].disabled = false;
widgets['cloudconvert-oauth'].disabled = !connected;

/** Shows the widget of `choice` and hides the others (each keeps its files while hidden). */
function select(choice: Choice, status = statusText[choice]): void {
  const changed = choice !== active;
  active = choice;
  for (const [name, widget] of Object.entries(widgets)) widget.hidden = name !== choice;
  for (const radio of radios) radio.checked = radio.value === choice;
  providerStatus.textContent = status;
  showMarkup(widgets[choice]);
  if (changed && switched) addNote(`Now converting with ${choiceNames[choice]}.`);
  switched = true;
}

if (!oauth && oauthRadio) {
  oauthRadio.disabled = true;
  const caption = oauthRadio.closest('label')?.querySelector('.option-caption');
  if (caption) caption.textContent = 'Not configured on this backend';
}

if (connected) select('cloudconvert-oauth');
else if (oauth && outcome)
  select(
    'cloudconvert-job',
    `The connection to CloudConvert was not made (${outcome.slice(0, 60)}); server-job mode it is.`,
  );
else select('convertapi');

for (const radio of radios) {
  radio.addEventListener('change', () => {
    if (!radio.checked || !isChoice(radio.value)) return;
    if (radio.value === 'cloudconvert-oauth' && oauth && !connected) {
      // The consent page, then back here with ?cloudconvert=connected (or the reason it was not).
      providerStatus.textContent = 'Opening the consent page…';
      location.assign(`${oauth.startUrl}?returnTo=${encodeURIComponent('/')}`);
      return;
    }
    select(radio.value);
  });
}

/** The active widget's markup, as a page would write it (the public attributes, never a credential). */
function showMarkup(widget: Uploader): void {
  const attributes = ['provider', 'token-endpoint', 'to', 'formats', 'max-file-size'].flatMap((name) => {
    const value = name === 'token-endpoint' ? widget.tokenEndpoint : widget.getAttribute(name);
    return value ? [`  ${name}="${value}"`] : [];
  });
  if (widget.multiple) attributes.push('  multiple');
  required('#widget-markup').textContent =
    `<convert-uploader\n${attributes.join('\n')}\n></convert-uploader>`;
}

// ---- Sample files ----

/** What a dragged sample carries: its name. */
const sampleType = 'application/x-convert-uploader-sample';
const sampleButtons = [...document.querySelectorAll<HTMLButtonElement>('button[data-sample]')];
/** The samples, fetched once; those already here can be dragged (a drag must be given its file at once). */
const sampleFiles = new Map<string, Promise<File>>();
const loadedSamples = new Map<string, File>();

function loadSample(button: HTMLButtonElement): Promise<File> {
  const name = button.dataset['sample'] ?? '';
  let file = sampleFiles.get(name);
  if (!file) {
    file = fetch(`./samples/${encodeURIComponent(name)}`).then(async (response) => {
      if (!response.ok) throw new Error(`The sample ${name} did not load (${response.status}).`);
      const loaded = new File([await response.blob()], name, { type: button.dataset['type'] ?? '' });
      loadedSamples.set(name, loaded);
      return loaded;
    });
    file.catch(() => sampleFiles.delete(name));
    sampleFiles.set(name, file);
  }
  return file;
}

for (const button of sampleButtons) {
  button.disabled = false;
  void loadSample(button).catch(() => undefined);
  button.addEventListener('click', () => {
    loadSample(button).then(
      (file) => {
        widgets[active].addFiles([file]);
      },
      (error: unknown) => {
        addNote(error instanceof Error ? error.message : String(error));
      },
    );
  });
  button.addEventListener('dragstart', (event) => {
    const name = button.dataset['sample'] ?? '';
    if (!loadedSamples.has(name) || !event.dataTransfer) {
      event.preventDefault();
      return;
    }
    event.dataTransfer.effectAllowed = 'copy';
    event.dataTransfer.setData(sampleType, name);
    event.dataTransfer.setData('text/plain', name);
  });
}

// A sample dragged from the page carries its name, not a file (a drag cannot carry a file made by the page in
// every browser): the widget under it takes the drop through addFiles, as the click does.
const widgetCard = required('.widget-card');
const isSampleDrag = (event: DragEvent) => event.dataTransfer?.types.includes(sampleType) ?? false;
let sampleDragDepth = 0;

for (const widget of Object.values(widgets)) {
  widget.addEventListener('dragenter', (event) => {
    if (!isSampleDrag(event)) return;
    event.preventDefault();
    sampleDragDepth += 1;
    widgetCard.classList.add('sample-over');
  });
  widget.addEventListener('dragover', (event) => {
    if (!isSampleDrag(event) || !event.dataTransfer) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  widget.addEventListener('dragleave', (event) => {
    if (!isSampleDrag(event)) return;
    sampleDragDepth = Math.max(0, sampleDragDepth - 1);
    if (sampleDragDepth === 0) widgetCard.classList.remove('sample-over');
  });
  widget.addEventListener('drop', (event) => {
    if (!isSampleDrag(event)) return;
    event.preventDefault();
    sampleDragDepth = 0;
    widgetCard.classList.remove('sample-over');
    const file = loadedSamples.get(event.dataTransfer?.getData(sampleType) ?? '');
    if (file) widget.addFiles([file]);
  });
}
