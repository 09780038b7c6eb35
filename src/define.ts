import { ConvertUploader } from './element/convert-uploader.js';

export * from './index.js';

if (!customElements.get('convert-uploader')) {
  customElements.define('convert-uploader', ConvertUploader);
}

declare global {
  interface HTMLElementTagNameMap {
    'convert-uploader': ConvertUploader;
  }
}
