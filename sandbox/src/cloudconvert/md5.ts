import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Hex MD5 of a stream's bytes (S3's ETag for single-part objects, CloudConvert's `md5`). */
export async function md5OfStream(stream: Readable): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Hex MD5 of bytes in memory. */
export function md5OfBuffer(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}
