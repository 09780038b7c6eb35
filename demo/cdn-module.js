// Wiring of cdn-module.html, as a host page would write it without a bundler (and without inline
// script, so a strict Content-Security-Policy holds). The widget itself needs no script: only the
// demo's sandbox URL comes from the backend, and the events go to a list on the page.
const uploader = document.querySelector('convert-uploader');
const log = document.querySelector('#event-log');

function logEvent(text) {
  const entry = document.createElement('li');
  entry.textContent = text;
  log.append(entry);
}

uploader.addEventListener('convert-success', (event) => {
  logEvent(
    `convert-success: ${event.detail.item.name} → ${event.detail.results.map((result) => result.name).join(', ')}`,
  );
});
uploader.addEventListener('convert-error', (event) => {
  logEvent(`convert-error: ${event.detail.item.name}: ${event.detail.error.code}`);
});
uploader.addEventListener('convert-complete', (event) => {
  const { succeeded, failed, canceled } = event.detail;
  logEvent(`convert-complete: ${succeeded} succeeded, ${failed} failed, ${canceled} canceled`);
});

const response = await fetch('/api/demo-config');
const config = await response.json();
if (config.convertapi.apiBase) uploader.setAttribute('api-base', config.convertapi.apiBase);
if (!customElements.get('convert-uploader')) logEvent('The widget did not load: run `npm run build` first.');
uploader.removeAttribute('disabled');
