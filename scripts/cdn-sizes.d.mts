export interface Sizes {
  files: number;
  raw: number;
  gzip: number;
  brotli: number;
}
export declare function cdnSizes(): {
  startup: Sizes;
  withConvertApi: Sizes;
  withCloudConvert: Sizes;
  withBothProviders: Sizes;
  everything: Sizes;
  iife: Sizes;
};
export declare function staticClosure(file: string, seen?: Set<string>): Set<string>;
