/** The pair of formats is not in the sandbox's conversion matrix. */
export class UnsupportedConversionError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`Conversion from ${from} to ${to} is not supported`);
    this.name = 'UnsupportedConversionError';
  }
}

/** The pair is supported but this input could not be converted (e.g. a damaged image). */
export class ConversionFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConversionFailedError';
  }
}

/** The conversion ran past its time limit (an external engine was stopped). */
export class ConversionTimeoutError extends ConversionFailedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConversionTimeoutError';
  }
}
