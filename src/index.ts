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
export type { ConversionResult, ErrorInfo, Provider, UploadItem, UploadStatus } from './engine/types.js';
export type { ErrorCode } from './engine/errors.js';
export type { RejectionCode } from './engine/restrictions.js';
export type { TokenProvider } from './engine/credential-source.js';
export type { FileDescription, TokenRequest } from './contract/token-request.js';
export type { TokenResponse } from './contract/token-response.js';
export type { UiStrings } from './element/strings/en.js';
