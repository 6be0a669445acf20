import { DURATION_PATTERN, DURATION_UNITS, type DurationUnit } from '../../runtime/duration.js'
import { describeValue, quote } from '../errors/describe-value.js'

/**
 * Sizes and durations as written in task-gen.json: `"<integer> <unit>"`.
 * Sizes use binary multiples, as Lambda does (1 GB = 1024 MB).
 */

export type ParseResult = { ok: true; value: number } | { ok: false; message: string }

const SIZE_UNITS = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 } as const

export type SizeUnit = keyof typeof SIZE_UNITS
export type { DurationUnit }

const SIZE = /^(\d+) (B|KB|MB|GB)$/
const DURATION = DURATION_PATTERN
const LOOSE = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/

function fail(message: string): ParseResult {
  return { ok: false, message }
}

function guessSizeUnit(unit: string): SizeUnit | undefined {
  const upper = unit.toUpperCase()
  const aliases: Record<string, SizeUnit> = { B: 'B', K: 'KB', KB: 'KB', KIB: 'KB', M: 'MB', MB: 'MB', MIB: 'MB', G: 'GB', GB: 'GB', GIB: 'GB' }
  return aliases[upper]
}

function guessDurationUnit(unit: string): DurationUnit | undefined {
  const lower = unit.toLowerCase()
  const aliases: Record<string, DurationUnit> = {
    s: 'second',
    sec: 'second',
    secs: 'second',
    m: 'minute',
    min: 'minute',
    mins: 'minute',
    h: 'hour',
    hr: 'hour',
    hrs: 'hour',
    d: 'day',
  }
  const singular = lower.endsWith('s') ? lower.slice(0, -1) : lower
  if (singular in DURATION_UNITS) return singular as DurationUnit
  return aliases[lower]
}

function didYouMean(text: unknown, guess: (unit: string) => string | undefined): string {
  if (typeof text !== 'string') return ''
  const loose = LOOSE.exec(text)
  if (!loose || loose[1]!.includes('.')) return ''
  const unit = guess(loose[2]!)
  return unit ? `; did you mean ${quote(`${loose[1]} ${unit}`)}?` : ''
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${describeValue(value)}`
  return describeValue(value)
}

/** Parses a size and returns it in `unit`; it must be a whole number of that unit. */
export function parseSize(text: unknown, unit: SizeUnit): ParseResult {
  const match = typeof text === 'string' ? SIZE.exec(text) : null
  if (!match) {
    return fail(`expected a size like "512 MB" (an integer, a space, and B, KB, MB or GB), got ${describe(text)}${didYouMean(text, guessSizeUnit)}`)
  }
  const bytes = Number(match[1]) * SIZE_UNITS[match[2] as SizeUnit]
  const value = bytes / SIZE_UNITS[unit]
  if (!Number.isSafeInteger(bytes)) return fail(`${describeValue(text)} is too large`)
  if (!Number.isInteger(value)) return fail(`must be a whole number of ${unit}, got ${describeValue(text)} (${+value.toFixed(3)} ${unit})`)
  return { ok: true, value }
}

/** Parses a duration and returns it in seconds. */
export function parseDuration(text: unknown): ParseResult {
  const match = typeof text === 'string' ? DURATION.exec(text) : null
  if (!match) {
    return fail(
      `expected a duration like "30 seconds" (an integer, a space, and second(s), minute(s), hour(s) or day(s)), got ${describe(text)}${didYouMean(text, guessDurationUnit)}`,
    )
  }
  const seconds = Number(match[1]) * DURATION_UNITS[match[2] as DurationUnit]
  if (!Number.isSafeInteger(seconds)) return fail(`${describeValue(text)} is too large`)
  return { ok: true, value: seconds }
}

/** Writes a number of seconds the way a person would, for messages: 900 → "15 minutes". */
export function formatSeconds(seconds: number): string {
  for (const [unit, size] of Object.entries(DURATION_UNITS).reverse()) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size
      return `${count} ${unit}${count === 1 ? '' : 's'}`
    }
  }
  return `${seconds} seconds`
}
