// Bundle-size gate for the CDN files: fails when the module's start-up load (the module and the
// chunks it imports statically) is over the hard limit (brotli); prints the rest against the budget.
import { cdnSizes } from './cdn-sizes.mjs';

const hardLimitBytes = 20 * 1024;
const budgetBytes = 15 * 1024;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (size) =>
  size > hardLimitBytes ? 'over the 20 KB limit' : size > budgetBytes ? 'over the 15 KB budget' : 'ok';

const { startup, withConvertApi, withCloudConvert, everything, iife } = cdnSizes();
console.log(
  `CDN module at start-up (${startup.files} files): ${kb(startup.brotli)} brotli: ${verdict(startup.brotli)}`,
);
console.log(
  `  with the ConvertAPI adapter: ${kb(withConvertApi.brotli)}; with the CloudConvert adapter: ${kb(withCloudConvert.brotli)}`,
);
console.log(
  `  every chunk (both adapters, all languages): ${kb(everything.brotli)}; IIFE (one file): ${kb(iife.brotli)}`,
);
if (startup.brotli > hardLimitBytes) {
  console.error(`The CDN module's start-up load is over the hard limit of ${kb(hardLimitBytes)}.`);
  process.exitCode = 1;
}
