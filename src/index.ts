export { ConvertUploader } from './element/convert-uploader.js';
export { ConvertEvents } from './element/events.js';
export type { ConvertAddedDetail, ConvertAddedEvent } from './element/events.js';
export type { Provider, UploadItem, UploadStatus } from './element/types.js';
