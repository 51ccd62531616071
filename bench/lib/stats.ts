/** Small statistics helpers: nearest-rank percentiles over unsorted samples. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil(p * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5)
}

export type Summary = { n: number; p50: number; p95: number; p99: number; max: number }

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 0.5),
    p95: percentile(values, 0.95),
    p99: percentile(values, 0.99),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
  }
}

/** The median of a figure over runs, ignoring runs that did not produce it. */
export function medianOf<T>(runs: readonly T[], pick: (run: T) => number | undefined): number {
  const values = runs.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v))
  return values.length === 0 ? Number.NaN : median(values)
}
