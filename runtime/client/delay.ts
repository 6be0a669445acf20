import { durationSeconds, type DurationText } from '../duration.js'

/** The longest a call may be delayed: a year (365 days), checked before anything is sent. */
export const MAX_DELAY_SECONDS = 365 * 86_400

/** When a delayed call runs: after a duration, or at a time. One of the two, never both. */
export type TaskDelayOptions =
  | { /** Run after this long, in the config's duration syntax: `'10 minutes'`, `'2 hours'`, `'1 day'`. At most a year. */ delay?: DurationText; at?: never }
  | { delay?: never /** Run at this time: in the future, at most a year from now. */; at?: Date }

export type DeliveryTime = { ok: true; at: Date | undefined } | { ok: false; message: string }

/**
 * When the call asks to run, in whole seconds (a schedule's `at()` has no finer grain), rounded
 * up so that it never runs early; undefined for a call that runs now. Refused: both options, a
 * malformed duration, an invalid Date, a time not in the future, and more than a year ahead.
 */
export function deliveryTime(options: { delay?: unknown; at?: unknown }, now: Date = new Date()): DeliveryTime {
  const { delay, at } = options
  if (delay !== undefined && at !== undefined) return { ok: false, message: 'give either delay or at, not both' }
  if (delay === undefined && at === undefined) return { ok: true, at: undefined }
  let time: number
  if (delay !== undefined) {
    const seconds = durationSeconds(delay)
    if (seconds === undefined || seconds === 0)
      return {
        ok: false,
        message: `delay must be a duration like "10 minutes" (a whole number of at least 1, a space, and second(s), minute(s), hour(s) or day(s)), got ${JSON.stringify(delay) ?? String(delay)}`,
      }
    time = now.getTime() + seconds * 1000
  } else {
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) return { ok: false, message: 'at must be a valid Date' }
    if (at.getTime() <= now.getTime()) return { ok: false, message: `at is ${at.toISOString()}, not in the future (now ${now.toISOString()})` }
    time = at.getTime()
  }
  if (time - now.getTime() > MAX_DELAY_SECONDS * 1000)
    return { ok: false, message: `a call may be delayed by at most a year (365 days); it asked for ${new Date(time).toISOString()}` }
  return { ok: true, at: new Date(Math.ceil(time / 1000) * 1000) }
}

/** A schedule's expression for one time: `at(yyyy-mm-ddThh:mm:ss)`, in UTC. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`
}
