import type { UploadItem } from '../engine/types.js';

/** Less than this much time or progress says too little about the pace to promise a time. */
const minElapsedMs = 1000;

/**
 * Estimates the seconds an upload has left from its pace since it was first seen uploading. The estimate
 * starts at that moment (not at 0 %), so a retry or a slow credential request does not skew it.
 */
export class UploadPace {
  readonly #starts = new Map<string, { at: number; progress: number }>();

  /** Seconds left for `item`, or undefined while the pace is not known yet (or it is not uploading). */
  secondsLeft(item: UploadItem, now = performance.now()): number | undefined {
    if (item.status !== 'uploading') {
      this.#starts.delete(item.id);
      return undefined;
    }
    const start = this.#starts.get(item.id);
    if (!start) {
      this.#starts.set(item.id, { at: now, progress: item.uploadProgress });
      return undefined;
    }
    const elapsed = now - start.at;
    const gained = item.uploadProgress - start.progress;
    if (elapsed < minElapsedMs || gained <= 0) return undefined;
    return Math.ceil(((1 - item.uploadProgress) * elapsed) / gained / 1000);
  }
}
