import { z } from 'zod'
import { describeValue, quote } from '../errors/describe-value.js'
import { suggest } from './suggest.js'
import { formatSeconds, parseDuration, parseSize, type ParseResult, type SizeUnit } from './units.js'

/**
 * Field builders for the config schema. Each one owns its messages, so that a problem reads the
 * same wherever the field is used.
 */

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = suggest(key, known)
  if (guess) return `unknown key ${quote(key)}; did you mean "${guess}"?`
  return `unknown key ${quote(key)} (expected one of: ${known.join(', ')})`
}

type ErrorFn = (issue: { code?: string; input?: unknown }) => string | undefined

/** A missing value reads "is required" whatever the field's own message for a wrong one. */
function orRequired(message: ErrorFn): ErrorFn {
  return (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : message(issue))
}

/**
 * An object that refuses unknown keys and suggests the nearest known one. Zod reports all the
 * unknown keys of an object in one issue; the message holds one line per key, in order, and
 * the issue converter splits them into one problem per key.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape)
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => unknownKeyMessage(key, known)).join('\n') : undefined),
  })
}

/** A value of one of several shapes; `what` names them for the message when none fits. */
export function oneOf<Options extends readonly [z.ZodType, ...z.ZodType[]]>(options: Options, what: string) {
  return z.union(options, { error: (issue) => (issue.code === 'invalid_union' ? `expected ${what}, got ${describeValue(issue.input)}` : undefined) })
}

export function integerFrom(min: number, max: number) {
  const error = orRequired((issue) => `must be an integer from ${min} to ${max}, got ${describeValue(issue.input)}`)
  return z.int({ error }).min(min, { error }).max(max, { error })
}

export function nonNegativeInteger() {
  const error = orRequired((issue) => `must be a whole number, 0 or more, got ${describeValue(issue.input)}`)
  return z.int({ error }).min(0, { error })
}

/** A string field whose parse either yields a number or explains what was expected. */
function parsedString(parse: (text: unknown) => ParseResult, meta: { pattern: string; examples: string[]; description: string }) {
  return z
    .string({ error: orRequired((issue) => (parse(issue.input) as { message?: string }).message) })
    .transform((text, ctx) => {
      const result = parse(text)
      if (result.ok) return result.value
      ctx.addIssue({ code: 'custom', message: result.message, input: text })
      return z.NEVER
    })
    .meta(meta)
}

function withinRange(result: ParseResult, text: unknown, { min, max, show }: { min: number; max: number; show: (n: number) => string }): ParseResult {
  if (!result.ok) return result
  if (result.value >= min && result.value <= max) return result
  return { ok: false, message: `must be from ${show(min)} to ${show(max)}, got ${describeValue(text)}` }
}

/** A field's bounds and its documentation: what the JSON schema says about it. */
interface FieldSpec {
  min: number
  max: number
  description: string
  example: string
}

/** A size such as "512 MB", parsed to a whole number of `unit`, within [min, max] of that unit. */
export function size({ unit, min, max, description, example }: FieldSpec & { unit: SizeUnit }) {
  const show = (n: number) => `${n} ${unit}`
  return parsedString((text) => withinRange(parseSize(text, unit), text, { min, max, show }), {
    pattern: '^\\d+ (B|KB|MB|GB)$',
    examples: [example],
    description,
  })
}

/** A duration such as "30 seconds", parsed to seconds, within [min, max] seconds. */
export function duration({ min, max, description, example }: FieldSpec) {
  return parsedString((text) => withinRange(parseDuration(text), text, { min, max, show: formatSeconds }), {
    pattern: '^\\d+ (second|minute|hour|day)s?$',
    examples: [example],
    description,
  })
}

/** CloudWatch Logs accepts only these retention periods, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const

function parseLogRetention(text: unknown): ParseResult {
  if (text === 'forever') return { ok: true, value: 0 }
  const parsed = parseDuration(text)
  if (!parsed.ok) return { ok: false, message: `${parsed.message}, or "forever"` }
  const days = parsed.value / 86400
  if ((LOG_RETENTION_DAYS as readonly number[]).includes(days)) return { ok: true, value: days }
  const nearest = [...LOG_RETENTION_DAYS].sort((a, b) => Math.abs(a - days) - Math.abs(b - days))[0]
  return {
    ok: false,
    message: `CloudWatch keeps logs for one of ${LOG_RETENTION_DAYS.join(', ')} days, or "forever"; got ${describeValue(text)} (nearest: "${nearest} days")`,
  }
}

/** How long the function's logs are kept: a duration in whole days that CloudWatch accepts, or "forever" (0). */
export function logRetention() {
  return parsedString(parseLogRetention, {
    pattern: '^(\\d+ days?|forever)$',
    examples: ['30 days'],
    description:
      'How long CloudWatch keeps the function\'s logs: one of the periods CloudWatch accepts ("1 day" … "3653 days"), or "forever". @default "30 days"',
  })
}

/** A string matching `pattern`; `rule` says in words what is allowed. */
export function matching(pattern: RegExp, rule: string) {
  const error = orRequired((issue) => `${rule}, got ${describeValue(issue.input)}`)
  return z.string({ error }).regex(pattern, { error })
}

/** An enum whose message lists the choices and suggests the nearest. */
export function choice<const Values extends readonly [string, ...string[]]>(values: Values, hint = '') {
  return z.enum(values, {
    error: orRequired((issue) => {
      const guess = typeof issue.input === 'string' ? suggest(issue.input, values) : undefined
      const list = values.map((v) => `"${v}"`).join(', ')
      return `must be one of ${list}, got ${describeValue(issue.input)}${guess ? `; did you mean "${guess}"?` : ''}${hint}`
    }),
  })
}
