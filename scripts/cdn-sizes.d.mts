export interface Sizes {
  files: number;
  raw: number;
  gzip: number;
  brotli: number;
}
export declare function fileSize(file: string): Omit<Sizes, 'files'>;
export declare function cdnSizes(): {
  everyChunk: Sizes;
  iife: Sizes;
  startup: Sizes;
  withConvertApi: Sizes;
  withCloudConvert: Sizes;
  allLanguages: Sizes;
};
export declare function closure(file: string, options: { dynamic: boolean }, seen?: Set<string>): Set<string>;
export declare function sourcesOf(file: string): string[];
export declare function chunksOfEveryChunk(): ({ file: string } & Omit<Sizes, 'files'>)[];
export declare function allCdnFiles(): string[];
