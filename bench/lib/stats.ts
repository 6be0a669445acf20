/** A measurement's summary: the median of its runs and their spread. */
export interface Summary {
  median: number
  min: number
  max: number
  runs: number
  unit: string
}

export function summarize(samples: readonly number[], unit: string): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length, unit }
}

/** A value to two significant decimals for tables: 1234.5 → "1235", 12.345 → "12.3", 0.1234 → "0.123". */
export function round(value: number): string {
  if (Math.abs(value) >= 100) return value.toFixed(0)
  if (Math.abs(value) >= 10) return value.toFixed(1)
  if (Math.abs(value) >= 1) return value.toFixed(2)
  return value.toFixed(3)
}

export function formatSummary(s: Summary): string {
  return `${round(s.median)} ${s.unit} (${round(s.min)}–${round(s.max)}, n=${s.runs})`
}
