/** The conversion services the element and the server kit speak to. */
export type ProviderName = 'convertapi' | 'cloudconvert';

/** One file of a batch, as the browser describes it to the token endpoint: never its content. */
export interface FileDescription {
  /** Base name, as the browser reports it (see `fileNameProblem`). */
  readonly name: string;
  /** Size in bytes, as declared by the browser. */
  readonly size: number;
  /** MIME type as the browser reported it, possibly `''`. */
  readonly type: string;
  /**
   * CloudConvert, converting a file again: the export URL of the file from an earlier job (its task
   * `original-<i>`), which the new job imports (`import/url`) instead of awaiting an upload.
   */
  readonly importUrl?: string;
}

/** The body the element POSTs to the host's token endpoint, and what the server kit accepts. */
export interface TokenRequest {
  readonly provider: ProviderName;
  /**
   * Input format, lower case, for the files whose names have no extension (see `inputFormatOf`: a file's
   * own extension wins). The element sends the format of the file asking.
   */
  readonly from?: string;
  /** Output format, lower case. */
  readonly to: string;
  /** Every file of the batch that still needs a credential, in the batch's order. */
  readonly files: readonly FileDescription[];
}
