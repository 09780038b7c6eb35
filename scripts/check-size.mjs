// Bundle-size gate for the CDN files (brotli). docs/design.md §7 budgets the module with both providers
// and Lit at 15 KB, with a hard CI limit of 20 KB: CI fails above the limit; the budget is reported.
import { cdnSizes } from './cdn-sizes.mjs';

const hardLimitBytes = 20 * 1024;
const budgetBytes = 15 * 1024;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (size) =>
  size > hardLimitBytes ? 'over the 20 KB limit' : size > budgetBytes ? 'over the 15 KB budget' : 'ok';

const { startup, withConvertApi, withCloudConvert, withBothProviders, everything, iife } = cdnSizes();
console.log(
  `CDN module at start-up (${startup.files} files): ${kb(startup.brotli)} brotli: ${verdict(startup.brotli)}`,
);
console.log(
  `  with the ConvertAPI adapter: ${kb(withConvertApi.brotli)}; with the CloudConvert adapter: ${kb(withCloudConvert.brotli)}`,
);
console.log(
  `  with both adapters (the budget's measure): ${kb(withBothProviders.brotli)}: ${verdict(withBothProviders.brotli)}`,
);
console.log(
  `  every chunk (both adapters, all languages): ${kb(everything.brotli)}; IIFE (one file): ${kb(iife.brotli)}`,
);
if (withBothProviders.brotli > hardLimitBytes) {
  console.error(
    `The CDN module with both providers is ${withBothProviders.brotli} bytes, over the hard limit of ${hardLimitBytes} (${kb(hardLimitBytes)}).`,
  );
  process.exitCode = 1;
}
