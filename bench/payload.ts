import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A file of `megabytes` MiB on disk in the temp folder, for the page to pick as a visitor would (a File backed
 * by the disk, not by memory). Filled with a repeating pattern rather than zeros, so that a copy of it in
 * memory is real, written memory.
 */
export function writePayload(megabytes: number): { path: string; remove: () => void } {
  const path = join(tmpdir(), `convert-uploader-bench-${process.pid}-${megabytes}mb.bin`);
  const block = Buffer.alloc(1024 * 1024);
  for (let index = 0; index < block.length; index += 1) block[index] = (index * 7 + 13) & 255;
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < megabytes; written += 1) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return {
    path,
    remove: () => {
      rmSync(path, { force: true });
    },
  };
}
