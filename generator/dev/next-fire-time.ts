import type { Cron, MonthDayTerm, WeekDayTerm } from '../config/cron.js'
import type { ScheduleModel } from '../model/model.js'

/**
 * When a schedule fires next, as EventBridge Scheduler decides it: cron expressions at minute
 * resolution on the wall clock of their time zone (a time that daylight saving time skips does
 * not fire; one it repeats fires once, the first time), rates every interval of elapsed time.
 */

interface Wall {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

/** A day on the calendar. nextCronTime steps one through the days in place: no object per day. */
interface CalendarDay {
  year: number
  month: number
  day: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const LAST_YEAR = 2199

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
    formatters.set(zone, format)
  }
  return format
}

/** The wall clock of `zone` at an instant. */
export function wallClock(instant: number, zone: string): Wall {
  const parts: Record<string, number> = {}
  for (const part of formatter(zone).formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value)
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! }
}

function wallAsUtc(wall: Wall): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute)
}

/** How far `zone`'s wall clock is ahead of UTC at an instant. */
function offsetAt(instant: number, zone: string): number {
  return wallAsUtc(wallClock(instant, zone)) - Math.floor(instant / MINUTE) * MINUTE
}

/** The first instant at which `zone`'s clock shows `wall`; undefined when daylight saving time skips it. */
export function instantOf(wall: Wall, zone: string): number | undefined {
  const local = wallAsUtc(wall)
  // The offsets on either side of any change near this time: one of them is the one in force.
  const candidates = [...new Set([local - offsetAt(local - 12 * HOUR, zone), local - offsetAt(local + 12 * HOUR, zone)])].sort((a, b) => a - b)
  return candidates.find((instant) => wallAsUtc(wallClock(instant, zone)) === local)
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** 1 = Sunday … 7 = Saturday, as cron numbers them. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1
}

/** The weekday (Monday–Friday) nearest to `day` within its month. */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month)
  const weekday = weekdayOf(year, month, day)
  if (weekday === 7) return day === 1 ? 3 : day - 1
  if (weekday === 1) return day === last ? day - 2 : day + 1
  return day
}

function monthDayMatches(term: MonthDayTerm, { year, month, day }: CalendarDay): boolean {
  const last = daysInMonth(year, month)
  switch (term.kind) {
    case 'days':
      return term.days.has(day)
    case 'last':
      return day === last
    case 'last-weekday':
      return day === nearestWeekday(year, month, last) && day <= last
    case 'nearest-weekday':
      return term.day <= last && day === nearestWeekday(year, month, term.day)
  }
}

function weekDayMatches(term: WeekDayTerm, { year, month, day }: CalendarDay): boolean {
  const weekday = weekdayOf(year, month, day)
  switch (term.kind) {
    case 'weekdays':
      return term.weekdays.has(weekday)
    case 'last-of':
      return weekday === term.weekday && day + 7 > daysInMonth(year, month)
    case 'nth':
      return weekday === term.weekday && Math.ceil(day / 7) === term.n
  }
}

function dayMatches(cron: Cron, date: CalendarDay): boolean {
  if (cron.days.field === 'month') return cron.days.terms.some((term) => monthDayMatches(term, date))
  return cron.days.terms.some((term) => weekDayMatches(term, date))
}

const sorted = (values: ReadonlySet<number>) => [...values].sort((a, b) => a - b)

/** The first instant after `after` at which the cron expression fires in `zone`; undefined when it never will (before 2200). */
export function nextCronTime(cron: Cron, zone: string, after: number): number | undefined {
  const hours = sorted(cron.hours)
  const minutes = sorted(cron.minutes)
  const start = wallClock(after, zone)
  // Wall times well before `after` cannot come after it, whatever daylight saving time does.
  const earliest = wallAsUtc(start) - 3 * HOUR
  // The day being tried, filled in place as the loop steps.
  const candidate: CalendarDay = { year: 0, month: 0, day: 0 }
  for (let date = new Date(Date.UTC(start.year, start.month - 1, start.day)); date.getUTCFullYear() <= LAST_YEAR; date.setUTCDate(date.getUTCDate() + 1)) {
    const year = date.getUTCFullYear()
    const month = date.getUTCMonth() + 1
    const day = date.getUTCDate()
    if (!cron.years.has(year)) {
      date.setUTCFullYear(year + 1, 0, 0) // the loop steps to 1 January of the next year
      continue
    }
    if (!cron.months.has(month)) {
      date.setUTCMonth(month, 0) // the loop steps to the 1st of the next month
      continue
    }
    candidate.year = year
    candidate.month = month
    candidate.day = day
    if (!dayMatches(cron, candidate)) continue
    for (const hour of hours) {
      for (const minute of minutes) {
        const wall = { year, month, day, hour, minute }
        if (wallAsUtc(wall) < earliest) continue
        const instant = instantOf(wall, zone)
        if (instant !== undefined && instant > after) return instant
      }
    }
  }
  return undefined
}

/** The first firing after `after` of a schedule; a rate counts its intervals from `origin` (when dev started). */
export function nextFireTime(schedule: Pick<ScheduleModel, 'timing' | 'timezone'>, after: number, origin: number): number | undefined {
  if (schedule.timing.kind === 'cron') return nextCronTime(schedule.timing.cron, schedule.timezone, after)
  const interval = schedule.timing.seconds * 1000
  return origin + (Math.floor(Math.max(0, after - origin) / interval) + 1) * interval
}
