import { describe, expect, it } from 'vitest'
import { parseCron, type Cron } from '../../generator/config/cron.js'
import { nextCronTime, nextFireTime } from '../../generator/dev/next-fire-time.js'

function cron(text: string): Cron {
  const parsed = parseCron(text)
  if (!parsed.ok) throw new Error(parsed.messages.join('; '))
  return parsed.cron
}

const at = (iso: string) => Date.parse(iso)
const iso = (instant: number | undefined) => (instant === undefined ? undefined : new Date(instant).toISOString().replace(':00.000Z', 'Z'))

/** The next `count` firings after `from`, each found from the one before. */
function firings(expression: string, zone: string, from: string, count: number): (string | undefined)[] {
  const found: (string | undefined)[] = []
  let after = at(from)
  for (let i = 0; i < count; i++) {
    const next = nextCronTime(cron(expression), zone, after)
    found.push(iso(next))
    if (next === undefined) break
    after = next
  }
  return found
}

describe('cron evaluation in a time zone', () => {
  it('reads the expression on the wall clock of its zone', () => {
    expect(firings('0 3 * * ? *', 'Europe/Amsterdam', '2026-01-10T12:00:00Z', 2)).toEqual(['2026-01-11T02:00Z', '2026-01-12T02:00Z'])
    expect(firings('0 3 * * ? *', 'UTC', '2026-01-10T12:00:00Z', 1)).toEqual(['2026-01-11T03:00Z'])
    expect(firings('0/20 9 ? * MON-FRI *', 'America/New_York', '2026-01-09T14:30:00Z', 3)).toEqual([
      '2026-01-09T14:40Z',
      '2026-01-12T14:00Z',
      '2026-01-12T14:20Z',
    ])
  })

  it('spring forward: a time the clock skips does not fire that day (as Scheduler skips it)', () => {
    // Amsterdam, 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(firings('30 2 * * ? *', 'Europe/Amsterdam', '2026-03-27T12:00:00Z', 3)).toEqual(['2026-03-28T01:30Z', '2026-03-30T00:30Z', '2026-03-31T00:30Z'])
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT; every 30 minutes jumps from 01:30 to 03:00.
    expect(firings('0/30 * * * ? *', 'America/New_York', '2026-03-08T06:00:00Z', 3)).toEqual(['2026-03-08T06:30Z', '2026-03-08T07:00Z', '2026-03-08T07:30Z'])
  })

  it('fall back: a time the clock shows twice fires once, the first time', () => {
    // Amsterdam, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30Z and at 01:30Z.
    expect(firings('30 2 * * ? *', 'Europe/Amsterdam', '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T00:30Z', '2026-10-26T01:30Z'])
    // Every 30 minutes through the repeated hour: 02:00 and 02:30 once each, then 03:00 CET.
    expect(firings('0/30 * * * ? *', 'Europe/Amsterdam', '2026-10-24T23:45:00Z', 4)).toEqual([
      '2026-10-25T00:00Z',
      '2026-10-25T00:30Z',
      '2026-10-25T02:00Z',
      '2026-10-25T02:30Z',
    ])
  })

  it('day-of-month L, LW and nW; day-of-week L and #', () => {
    expect(firings('0 0 L * ? *', 'UTC', '2028-02-01T00:00:00Z', 2)).toEqual(['2028-02-29T00:00Z', '2028-03-31T00:00Z'])
    expect(firings('0 0 LW * ? *', 'UTC', '2026-05-01T00:00:00Z', 1)).toEqual(['2026-05-29T00:00Z']) // 31 May 2026 is a Sunday
    expect(firings('0 0 15W * ? *', 'UTC', '2026-08-01T00:00:00Z', 1)).toEqual(['2026-08-14T00:00Z']) // the 15th is a Saturday
    expect(firings('0 0 1W * ? *', 'UTC', '2026-07-31T00:00:00Z', 1)).toEqual(['2026-08-03T00:00Z']) // the 1st is a Saturday: not back into July
    expect(firings('0 9 ? * 2#1 *', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-05T09:00Z', '2026-02-02T09:00Z'])
    expect(firings('0 9 ? * 6L *', 'UTC', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-30T09:00Z'])
  })

  it('months, years, and an expression that never fires', () => {
    expect(firings('0 12 1 JAN,JUL ? 2027-2028', 'UTC', '2026-03-01T00:00:00Z', 5)).toEqual([
      '2027-01-01T12:00Z',
      '2027-07-01T12:00Z',
      '2028-01-01T12:00Z',
      '2028-07-01T12:00Z',
      undefined,
    ])
    expect(firings('0 0 30 2 ? *', 'UTC', '2026-01-01T00:00:00Z', 1)).toEqual([undefined])
  })

  it('a rate counts elapsed time from its origin, whatever the clock does', () => {
    const schedule = { timing: { kind: 'rate' as const, seconds: 86400 }, timezone: 'UTC' }
    const origin = at('2026-03-28T12:00:00Z')
    expect(iso(nextFireTime(schedule, origin, origin))).toBe('2026-03-29T12:00Z')
    expect(iso(nextFireTime(schedule, at('2026-03-29T12:00:00Z'), origin))).toBe('2026-03-30T12:00Z')
  })
})
