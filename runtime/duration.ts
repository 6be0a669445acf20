/**
 * Durations as task-gen writes them: `"<integer> <unit>"`, the unit second, minute, hour or day,
 * singular or plural. The config (generator/config/units.ts) and the client's `delay` option
 * read the same syntax from here.
 */

export const DURATION_UNITS = { second: 1, minute: 60, hour: 3600, day: 86400 } as const

export type DurationUnit = keyof typeof DURATION_UNITS

export const DURATION_PATTERN = /^(\d+) (second|minute|hour|day)s?$/

/** A duration in that syntax, as a type: `'10 minutes'`, `'1 day'`. */
export type DurationText = `${number} ${DurationUnit | `${DurationUnit}s`}`

/** The seconds of a duration; undefined when the text is not one (or too large to count exactly). */
export function durationSeconds(text: unknown): number | undefined {
  const match = typeof text === 'string' ? DURATION_PATTERN.exec(text) : null
  if (!match) return undefined
  const seconds = Number(match[1]) * DURATION_UNITS[match[2] as DurationUnit]
  return Number.isSafeInteger(seconds) ? seconds : undefined
}
