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

const cloudService = document.querySelector('#cloudconvert-service');
if (cloudService)
  cloudService.textContent =
    config.cloudconvert.service === 'sandbox' ? 'the local sandbox of CloudConvert' : 'CloudConvert';
setUpCloudConvertModes(config.cloudconvert);

/**
 * The CloudConvert widget runs in server-job mode; the OAuth choice sends the visitor through the
 * consent page, and coming back `?cloudconvert=connected` switches the widget to access-token mode.
 */
function setUpCloudConvertModes(cloudconvert: DemoConfig['cloudconvert']): void {
  const widget = document.querySelector<HTMLElementTagNameMap['convert-uploader']>('#cloudconvert-uploader');
  const status = document.querySelector('#cloudconvert-mode-status');
  const choices = document.querySelectorAll<HTMLInputElement>('input[name="cloudconvert-mode"]');
  const oauthChoice = [...choices].find((choice) => choice.value === 'oauth');
  const { oauth } = cloudconvert;
  if (!widget || !status || !oauthChoice) return;
  const oauthHost = document.querySelector('#cloudconvert-oauth-host');
  if (oauthHost && cloudconvert.service !== 'sandbox') oauthHost.textContent = 'CloudConvert';
  widget.tokenEndpoint = cloudconvert.jobEndpoint;
  if (cloudconvert.apiBase) widget.apiBase = cloudconvert.apiBase;
  if (!oauth) {
    oauthChoice.disabled = true;
    status.textContent = 'OAuth is not configured on this backend: server-job mode only.';
    return;
  }
  const outcome = new URLSearchParams(location.search).get('cloudconvert');
  if (outcome === 'connected') {
    oauthChoice.checked = true;
    widget.tokenEndpoint = oauth.tokenEndpoint;
    if (oauth.apiBase) widget.apiBase = oauth.apiBase;
    widget.sandbox = oauth.sandbox;
    status.textContent = 'Connected: the widget converts with a short-lived OAuth access token.';
  } else if (outcome) {
    status.textContent = `The connection to CloudConvert was not made (${outcome}); server-job mode it is.`;
  }
  for (const choice of choices) {
    choice.addEventListener('change', () => {
      if (choice.value === 'oauth') {
        location.assign(`${oauth.startUrl}?returnTo=${encodeURIComponent('/')}`);
        return;
      }
      widget.tokenEndpoint = cloudconvert.jobEndpoint;
      status.textContent = 'Server-job mode: the backend creates each job with its API key.';
    });
  }
}

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
    logEvent(`convert-error: ${event.detail.item.name}: ${event.detail.error.code}`);
  });
  uploader.addEventListener('convert-complete', (event) => {
    const { succeeded, failed, canceled } = event.detail;
    logEvent(`convert-complete: ${succeeded} succeeded, ${failed} failed, ${canceled} canceled`);
  });
}
