/* global document */
// The strict-CSP page's own script: reports what the widgets say, as a host page would.
for (const uploader of document.querySelectorAll('convert-uploader')) {
  const log = document.getElementById(`${uploader.id}-log`);
  for (const name of ['convert-success', 'convert-error']) {
    uploader.addEventListener(name, (event) => {
      const entry = document.createElement('li');
      entry.textContent =
        `${name}: ${event.detail.item?.name ?? ''} ${event.detail.error?.code ?? ''}`.trim();
      log?.append(entry);
    });
  }
}
