// Wiring of cdn-iife.html, as a classic script (deferred, so it runs after the widget's script):
// the demo's sandbox URL from the backend, and the events in a list on the page.
/* global ConvertUploader */
(() => {
  const uploader = document.querySelector('convert-uploader');
  const log = document.querySelector('#event-log');

  function logEvent(text) {
    const entry = document.createElement('li');
    entry.textContent = text;
    log.append(entry);
  }

  uploader.addEventListener('convert-success', (event) => {
    const names = event.detail.results.map((result) => result.name).join(', ');
    logEvent(`convert-success: ${event.detail.item.name} → ${names}`);
  });
  uploader.addEventListener('convert-error', (event) => {
    logEvent(`convert-error: ${event.detail.item.name}: ${event.detail.error.code}`);
  });
  uploader.addEventListener('convert-complete', (event) => {
    const { succeeded, failed, canceled } = event.detail;
    logEvent(`convert-complete: ${succeeded} succeeded, ${failed} failed, ${canceled} canceled`);
  });

  // The classic script exposes the package's exports as the global `ConvertUploader`.
  if (typeof ConvertUploader === 'undefined') logEvent('The widget did not load: run `npm run build` first.');

  void fetch('/api/demo-config')
    .then((response) => response.json())
    .then((config) => {
      if (config.convertapi.apiBase) uploader.setAttribute('api-base', config.convertapi.apiBase);
      uploader.removeAttribute('disabled');
    });
})();
