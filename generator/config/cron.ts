/**
 * Cron expressions as EventBridge Scheduler accepts them (the six fields of `cron(…)`: minutes,
 * hours, day-of-month, month, day-of-week, year), parsed into sets that `task-gen dev` evaluates.
 * Every mistake is reported at once, one message per field.
 */

/** A day-of-month term: listed days, the last day (`L`), the last weekday (`LW`), or the weekday nearest a day (`15W`). */
export type MonthDayTerm = { kind: 'days'; days: ReadonlySet<number> } | { kind: 'last' } | { kind: 'last-weekday' } | { kind: 'nearest-weekday'; day: number }

/** A day-of-week term (1 = Sunday … 7 = Saturday): listed weekdays, the last such weekday of the month (`6L`), or the nth (`2#1`). */
export type WeekDayTerm =
  | { kind: 'weekdays'; weekdays: ReadonlySet<number> }
  | { kind: 'last-of'; weekday: number }
  | { kind: 'nth'; weekday: number; n: number }

export interface Cron {
  minutes: ReadonlySet<number>
  hours: ReadonlySet<number>
  months: ReadonlySet<number>
  years: ReadonlySet<number>
  /** Exactly one of the two day fields is `?`: the other decides which days match. */
  days: { field: 'month'; terms: MonthDayTerm[] } | { field: 'week'; terms: WeekDayTerm[] }
}

export type CronResult = { ok: true; cron: Cron } | { ok: false; messages: string[] }

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

interface FieldSpec {
  name: string
  min: number
  max: number
  names?: readonly string[]
  /** Whether `a/step` and `*\/step` are allowed (AWS: not in day-of-week). */
  steps: boolean
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59, steps: true },
  hours: { name: 'hours', min: 0, max: 23, steps: true },
  monthDays: { name: 'day-of-month', min: 1, max: 31, steps: true },
  months: { name: 'month', min: 1, max: 12, names: MONTH_NAMES, steps: true },
  weekDays: { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, steps: false },
  years: { name: 'year', min: 1970, max: 2199, steps: true },
} satisfies Record<string, FieldSpec>

class FieldError extends Error {}

function fieldValue(text: string, field: FieldSpec): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1
  if (named >= 0) return field.min + named
  if (!/^\d+$/.test(text)) throw new FieldError(`"${text}" is not a number${field.names ? ` or a name (${field.names[0]}…${field.names.at(-1)})` : ''}`)
  const value = Number(text)
  if (value < field.min || value > field.max) throw new FieldError(`${value} is outside ${field.min}-${field.max}`)
  return value
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = []
  for (let v = from; v <= to; v += step) values.push(v)
  return values
}

/** One comma-separated item: `*`, `n`, `a-b`, each optionally `/step`. */
function itemValues(item: string, field: FieldSpec): number[] {
  const [base, stepText, extra] = item.split('/')
  if (extra !== undefined || base === '') throw new FieldError(`"${item}" is not a value, a range or a step`)
  let step = 1
  if (stepText !== undefined) {
    if (!field.steps) throw new FieldError('"/" is not allowed here')
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new FieldError(`the step of "${item}" must be a whole number, 1 or more`)
    step = Number(stepText)
  }
  if (base === '*') return range(field.min, field.max, step)
  const [fromText, toText, more] = base!.split('-')
  if (more !== undefined) throw new FieldError(`"${item}" is not a value, a range or a step`)
  const from = fieldValue(fromText!, field)
  if (toText === undefined) return stepText === undefined ? [from] : range(from, field.max, step)
  const to = fieldValue(toText, field)
  if (to < from) throw new FieldError(`the range "${base}" goes backwards`)
  return range(from, to, step)
}

function valueSet(text: string, field: FieldSpec): Set<number> {
  if (text === '') throw new FieldError('is empty')
  return new Set(text.split(',').flatMap((item) => itemValues(item, field)))
}

function monthDayTerms(text: string): MonthDayTerm[] {
  return text.split(',').map((item): MonthDayTerm => {
    if (item === 'L') return { kind: 'last' }
    if (item === 'LW') return { kind: 'last-weekday' }
    const nearest = /^(\d+)W$/.exec(item)
    if (nearest) return { kind: 'nearest-weekday', day: fieldValue(nearest[1]!, FIELDS.monthDays) }
    return { kind: 'days', days: new Set(itemValues(item, FIELDS.monthDays)) }
  })
}

function weekDayTerms(text: string): WeekDayTerm[] {
  if (text.includes('#')) {
    const nth = /^([^#,]+)#(\d+)$/.exec(text)
    if (!nth) throw new FieldError('"#" takes the whole field, one weekday and its number in the month, like "2#1" (the first Monday)')
    const n = Number(nth[2])
    if (n < 1 || n > 5) throw new FieldError(`"#${nth[2]}": a weekday occurs 1 to 5 times in a month`)
    return [{ kind: 'nth', weekday: fieldValue(nth[1]!, FIELDS.weekDays), n }]
  }
  return text.split(',').map((item): WeekDayTerm => {
    if (item === 'L') return { kind: 'weekdays', weekdays: new Set([7]) }
    const last = /^(.+)L$/.exec(item)
    if (last) return { kind: 'last-of', weekday: fieldValue(last[1]!, FIELDS.weekDays) }
    return { kind: 'weekdays', weekdays: new Set(itemValues(item, FIELDS.weekDays)) }
  })
}

/** Parses one field, collecting its message instead of throwing. */
function field<T>(messages: string[], name: string, parse: () => T): T | undefined {
  try {
    return parse()
  } catch (error) {
    if (!(error instanceof FieldError)) throw error
    messages.push(`${name}: ${error.message}`)
    return undefined
  }
}

/** Parses the six fields of an EventBridge Scheduler cron expression, as written inside `cron(…)`. */
export function parseCron(text: string): CronResult {
  const parts = text.trim().split(/\s+/)
  if (parts.length !== 6) {
    return {
      ok: false,
      messages: [`a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), like "0 3 * * ? *"; got ${parts.length}`],
    }
  }
  const [min, hour, monthDay, month, weekDay, year] = parts as [string, string, string, string, string, string]
  const messages: string[] = []
  const minutes = field(messages, 'minutes', () => valueSet(min, FIELDS.minutes))
  const hours = field(messages, 'hours', () => valueSet(hour, FIELDS.hours))
  const months = field(messages, 'month', () => valueSet(month, FIELDS.months))
  const years = field(messages, 'year', () => valueSet(year, FIELDS.years))
  let days: Cron['days'] | undefined
  if ((monthDay === '?') === (weekDay === '?')) {
    messages.push('exactly one of day-of-month and day-of-week must be "?" (EventBridge cannot match both, and needs one of them)')
  } else if (weekDay === '?') {
    const terms = field(messages, 'day-of-month', () => monthDayTerms(monthDay))
    if (terms) days = { field: 'month', terms }
  } else {
    const terms = field(messages, 'day-of-week', () => weekDayTerms(weekDay))
    if (terms) days = { field: 'week', terms }
  }
  if (messages.length > 0 || !minutes || !hours || !months || !years || !days) return { ok: false, messages }
  return { ok: true, cron: { minutes, hours, months, years, days } }
}
