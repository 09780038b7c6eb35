import '../src/define.js';
import type { DemoConfig } from './backend.js';

// Points the demo's widgets at the backend's services and logs their events, so a visitor
// can see what a host page would receive.
const log = document.querySelector<HTMLOListElement>('#event-log');

function logEvent(text: string): void {
  const entry = document.createElement('li');
  entry.textContent = text;
  log?.append(entry);
}

const response = await fetch('/api/demo-config');
const config = (await response.json()) as DemoConfig;
const service = document.querySelector('#convertapi-service');
if (service)
  service.textContent = config.convertapi.service === 'sandbox' ? 'the local sandbox' : 'ConvertAPI';

for (const uploader of document.querySelectorAll('convert-uploader')) {
  if (uploader.provider === 'convertapi' && config.convertapi.apiBase)
    uploader.apiBase = config.convertapi.apiBase;
  uploader.addEventListener('convert-added', (event) => {
    logEvent(`convert-added: ${event.detail.items.map((item) => item.name).join(', ')}`);
  });
  uploader.addEventListener('convert-success', (event) => {
    logEvent(
      `convert-success: ${event.detail.item.name} → ${event.detail.results.map((result) => result.name).join(', ')}`,
    );
  });
  uploader.addEventListener('convert-error', (event) => {
    logEvent(`convert-error: ${event.detail.item?.name ?? 'token endpoint'}: ${event.detail.error.code}`);
  });
  uploader.addEventListener('convert-complete', (event) => {
    const { succeeded, failed, canceled } = event.detail;
    logEvent(`convert-complete: ${succeeded} succeeded, ${failed} failed, ${canceled} canceled`);
  });
}
