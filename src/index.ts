export { ConvertUploader } from './element/convert-uploader.js';
export { ConvertEvents } from './element/events.js';
export type {
  ConvertAddedDetail,
  ConvertAddedEvent,
  ConvertCompleteDetail,
  ConvertCompleteEvent,
  ConvertErrorDetail,
  ConvertErrorEvent,
  ConvertProgressDetail,
  ConvertProgressEvent,
  ConvertRejectedDetail,
  ConvertRejectedEvent,
  ConvertSuccessDetail,
  ConvertSuccessEvent,
} from './element/events.js';
export type { ConversionResult, ErrorInfo, Provider, UploadItem, UploadStatus } from './element/types.js';
export type { ErrorCode } from './core/errors.js';
export type { RejectionCode } from './core/restrictions.js';
export type { FileDescription, TokenProvider, TokenRequest, TokenResponse } from './core/token-types.js';
export type { UiStrings } from './element/strings/en.js';
