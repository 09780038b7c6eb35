// Bundle-size gate for the CDN files: prints raw, gzip and brotli sizes and fails above the hard limit.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const hardLimitBytes = 20 * 1024;
const budgetBytes = 15 * 1024;
const files = ['dist/cdn/convert-uploader.js', 'dist/cdn/convert-uploader.iife.js'];

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let failed = false;
for (const file of files) {
  const source = readFileSync(file);
  const brotli = brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const gzip = gzipSync(source, { level: 9 }).length;
  const verdict = brotli > hardLimitBytes ? 'OVER THE LIMIT' : brotli > budgetBytes ? 'over budget' : 'ok';
  console.log(
    `${file}: ${kb(source.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (limit ${kb(hardLimitBytes)}, budget ${kb(budgetBytes)}): ${verdict}`,
  );
  if (brotli > hardLimitBytes) failed = true;
}
process.exitCode = failed ? 1 : 0;
