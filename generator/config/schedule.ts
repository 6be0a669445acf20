import { z } from 'zod'
import { describeValue } from '../errors/describe-value.js'
import { parseCron } from './cron.js'
import { oneOf, strictObject } from './fields.js'
import { suggest } from './suggest.js'

/**
 * A task's `schedule`: EventBridge Scheduler schedules, checked as Scheduler checks them, so that
 * a mistake shows at `check` rather than halfway through a deploy.
 */

const RATE = /^(\d+) (minute|hour|day)s?$/
const RATE_UNIT_SECONDS = { minute: 60, hour: 3600, day: 86400 } as const

export interface Rate {
  /** As EventBridge writes it: `rate(1 hour)`, `rate(5 minutes)` (singular for 1, as it requires). */
  expression: string
  seconds: number
}

export function parseRate(text: string): Rate | string {
  const match = RATE.exec(text)
  if (!match) {
    const hint = /^\d+ seconds?$/.test(text) ? '; EventBridge Scheduler runs at most once a minute' : ''
    return `expected a rate like "1 hour" or "5 minutes" (an integer, a space, and minute(s), hour(s) or day(s)), got ${describeValue(text)}${hint}`
  }
  const value = Number(match[1])
  const unit = match[2] as keyof typeof RATE_UNIT_SECONDS
  if (value < 1 || !Number.isSafeInteger(value * RATE_UNIT_SECONDS[unit]))
    return `a rate must be a whole number of ${unit}s, 1 or more, got ${describeValue(text)}`
  return { expression: `rate(${value} ${unit}${value === 1 ? '' : 's'})`, seconds: value * RATE_UNIT_SECONDS[unit] }
}

let zones: Set<string> | undefined
/** IANA time zones as Node's ICU knows them, and "UTC" (which it lists under Etc). */
export function timeZones(): ReadonlySet<string> {
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])
  return zones
}

const cron = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : `expected a cron expression in quotes, got ${describeValue(issue.input)}`) })
  .superRefine((text, ctx) => {
    const parsed = parseCron(text)
    if (!parsed.ok) for (const message of parsed.messages) ctx.addIssue({ code: 'custom', message: `${message} (in ${describeValue(text)})`, input: text })
  })
  .describe(
    'An EventBridge Scheduler cron expression, the 6 fields inside cron(…): minutes hours day-of-month month day-of-week year; exactly one of the day fields is "?". @example "0 3 * * ? *"',
  )

const rate = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : `expected a rate like "1 hour" in quotes, got ${describeValue(issue.input)}`) })
  .superRefine((text, ctx) => {
    const parsed = parseRate(text)
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed, input: text })
  })
  .meta({ pattern: '^\\d+ (minute|hour|day)s?$', examples: ['1 hour'] })
  .describe('How often the schedule fires, as a duration of minutes, hours or days, 1 or more. @example "5 minutes"')

const timezone = z
  .string({ error: (issue) => `expected an IANA time zone name in quotes such as "Europe/Amsterdam", got ${describeValue(issue.input)}` })
  .refine((name) => timeZones().has(name), {
    error: (issue) => {
      const guess = typeof issue.input === 'string' ? suggest(issue.input, [...timeZones()]) : undefined
      return `must be an IANA time zone such as "Europe/Amsterdam" or "UTC", got ${describeValue(issue.input)}${guess ? `; did you mean "${guess}"?` : ''}`
    },
  })
  .describe('The time zone the cron expression is read in; Scheduler follows its daylight saving time. @default "UTC"')

/** One schedule: `cron` or `rate` (exactly one), and what each firing delivers. */
const oneSchedule = strictObject({
  cron: cron.optional(),
  rate: rate.optional(),
  timezone: timezone.optional(),
  payload: z.unknown().optional().describe("The payload each firing delivers; `check` validates it against the handler's payload type. @default no payload"),
  enabled: z
    .boolean({ error: (issue) => `must be true or false, got ${describeValue(issue.input)}` })
    .optional()
    .describe('false deploys the schedule paused (state DISABLED). @default true'),
}).superRefine((value, ctx) => {
  if (value.cron !== undefined && value.rate !== undefined) ctx.addIssue({ code: 'custom', message: 'a schedule has "cron" or "rate", not both', input: value })
  if (value.cron === undefined && value.rate === undefined)
    ctx.addIssue({ code: 'custom', message: 'a schedule needs "cron" (such as "0 3 * * ? *") or "rate" (such as "1 hour")', input: value })
  if (value.rate !== undefined && value.timezone !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['timezone'],
      message: 'a rate runs at a fixed interval whatever the time zone; "timezone" applies to "cron" only',
      input: value.timezone,
    })
})

export const schedule = oneOf(
  [z.array(oneSchedule).min(1, { error: 'needs at least one schedule' }), oneSchedule],
  'a schedule { "cron" | "rate", … } or a list of them',
).describe('Runs the task on a schedule (EventBridge Scheduler): { cron | rate, timezone, payload, enabled }, or a list of them.')

export type ScheduleConfig = z.output<typeof oneSchedule>
