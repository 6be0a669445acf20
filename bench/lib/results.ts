import type { Machine } from './machine.js'
import type { Summary } from './stats.js'

/** A target of issue #8: subject / baseline (medians) must stay at or under (or over) `limit`. */
export interface Ratio {
  name: string
  subject: string
  baseline: string
  value: number
  direction: '<=' | '>='
  limit: number
  met: boolean
}

export interface Results {
  measurements: Record<string, Summary>
  ratios: Ratio[]
  notes: string[]
}

export function emptyResults(): Results {
  return { measurements: {}, ratios: [], notes: [] }
}

/** Records the ratio of two recorded medians against its target. */
export function addRatio(results: Results, name: string, subject: string, baseline: string, direction: '<=' | '>=', limit: number): Ratio {
  const s = results.measurements[subject]
  const b = results.measurements[baseline]
  if (!s || !b) throw new Error(`ratio ${name}: missing ${!s ? subject : baseline}`)
  const value = s.median / b.median
  const ratio = { name, subject, baseline, value, direction, limit, met: direction === '<=' ? value <= limit : value >= limit }
  results.ratios.push(ratio)
  return ratio
}

/** Records the smallest of a measurement's runs (each itself a ratio) against a floor: the target met in every run. */
export function addFloor(results: Results, name: string, subject: string, limit: number): Ratio {
  const s = results.measurements[subject]
  if (!s) throw new Error(`floor ${name}: missing ${subject}`)
  const ratio = { name, subject, baseline: '', value: s.min, direction: '>=' as const, limit, met: s.min >= limit }
  results.ratios.push(ratio)
  return ratio
}

/** Records a value against an absolute limit (peak memory), as a ratio to 1 of its unit. */
export function addLimit(results: Results, name: string, subject: string, limit: number): Ratio {
  const s = results.measurements[subject]
  if (!s) throw new Error(`limit ${name}: missing ${subject}`)
  const ratio = { name, subject, baseline: '', value: s.max, direction: '<=' as const, limit, met: s.max <= limit }
  results.ratios.push(ratio)
  return ratio
}

/** A run of some benchmarks only (`--only`), merged into a saved full run. */
export interface PartialRun {
  only: string
  machine: Machine
  seconds: number
}

/**
 * `saved` with `run` folded in: measurements and ratios of the same name replaced, new ratios
 * placed after the nearest one that precedes them in `order` (the order a full run lists them in),
 * notes added once. A saved ratio over a measurement `run` measured again, which `run` did not
 * compute again (a target since renamed), is dropped: its value would no longer match its figures.
 */
export function mergeResults(saved: Results, run: Results, order: readonly string[]): Results {
  const fresh = new Map(run.ratios.map((ratio) => [ratio.name, ratio]))
  const remeasured = (name: string) => name !== '' && name in run.measurements
  const ratios = saved.ratios.flatMap((ratio) => {
    const replacement = fresh.get(ratio.name)
    if (replacement) return [replacement]
    return remeasured(ratio.subject) || remeasured(ratio.baseline) ? [] : [ratio]
  })
  for (const ratio of run.ratios) {
    if (saved.ratios.some((old) => old.name === ratio.name)) continue
    const before = order.slice(0, Math.max(0, order.indexOf(ratio.name))).reverse()
    const anchor = before.map((name) => ratios.findIndex((r) => r.name === name)).find((index) => index >= 0)
    ratios.splice(anchor === undefined ? ratios.length : anchor + 1, 0, ratio)
  }
  return {
    measurements: { ...saved.measurements, ...run.measurements },
    ratios,
    notes: [...saved.notes, ...run.notes.filter((note) => !saved.notes.includes(note))],
  }
}
