/** Minimum, median and maximum of a set of runs, and the runs themselves in the order they ran. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function spread(runs: readonly number[]): Spread {
  return { min: Math.min(...runs), median: median(runs), max: Math.max(...runs), runs: [...runs] };
}

/** `12.3 ms (min 11.0, max 15.2)` */
export function formatSpread(value: Spread, unit: string, digits = 1): string {
  return `${value.median.toFixed(digits)} ${unit} (min ${value.min.toFixed(digits)}, max ${value.max.toFixed(digits)})`;
}
