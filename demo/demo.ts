import '../src/define.js';

// Logs the element's events on the demo page, so a visitor can see what a host would receive.
const log = document.querySelector<HTMLOListElement>('#event-log');

for (const uploader of document.querySelectorAll('convert-uploader')) {
  uploader.addEventListener('convert-added', (event) => {
    const entry = document.createElement('li');
    entry.textContent = `${event.type}: ${event.detail.items.map((item) => item.name).join(', ')}`;
    log?.append(entry);
  });
}
