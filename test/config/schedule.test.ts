import { describe, expect, it } from 'vitest'
import { parseCron } from '../../generator/config/cron.js'
import { parseRate } from '../../generator/config/schedule.js'
import { minimalConfig, problemsOf } from '../helpers/project.js'

const TASK = 'stacks.orders.tasks.processOrder'
const S = `${TASK}.schedule`

function withSchedule(schedule: unknown) {
  return minimalConfig({ stacks: { orders: { tasks: { processOrder: { consumer: './src/process-order.ts', schedule } } } } })
}

describe('schedule config', () => {
  it.each([
    ['a cron in a time zone with a payload', { cron: '0 3 * * ? *', timezone: 'Europe/Amsterdam', payload: { kind: 'daily' } }],
    ['a rate, paused', { rate: '1 hour', enabled: false }],
    ['a list of both', [{ rate: '5 minutes' }, { cron: '0/15 9-17 ? * MON-FRI *', timezone: 'UTC' }]],
    ['day-of-month wildcards', [{ cron: '0 0 L * ? *' }, { cron: '0 0 LW * ? *' }, { cron: '0 0 15W * ? *' }, { cron: '0 0 1,15 JAN-MAR ? 2026-2030' }]],
    ['day-of-week wildcards', [{ cron: '0 0 ? * 6L *' }, { cron: '0 0 ? * 2#1 *' }, { cron: '0 0 ? * L *' }, { cron: '*/5 * ? * * *' }]],
  ])('accepts %s', (_name, schedule) => {
    expect(problemsOf(withSchedule(schedule))).toEqual([])
  })

  it.each<[string, unknown, string[]]>([
    [
      'five cron fields',
      { cron: '0 3 * * *' },
      [`${S}.cron: a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), like "0 3 * * ? *"; got 5 (in "0 3 * * *")`],
    ],
    [
      'both day fields set',
      { cron: '0 3 * * * *' },
      [`${S}.cron: exactly one of day-of-month and day-of-week must be "?" (EventBridge cannot match both, and needs one of them) (in "0 3 * * * *")`],
    ],
    [
      'both day fields "?"',
      { cron: '0 3 ? * ? *' },
      [`${S}.cron: exactly one of day-of-month and day-of-week must be "?" (EventBridge cannot match both, and needs one of them) (in "0 3 ? * ? *")`],
    ],
    [
      'every bad field at once',
      { cron: '60 24 ? 13 SUNDAY 1969' },
      [
        `${S}.cron: minutes: 60 is outside 0-59 (in "60 24 ? 13 SUNDAY 1969")`,
        `${S}.cron: hours: 24 is outside 0-23 (in "60 24 ? 13 SUNDAY 1969")`,
        `${S}.cron: month: 13 is outside 1-12 (in "60 24 ? 13 SUNDAY 1969")`,
        `${S}.cron: year: 1969 is outside 1970-2199 (in "60 24 ? 13 SUNDAY 1969")`,
        `${S}.cron: day-of-week: "SUNDAY" is not a number or a name (SUN…SAT) (in "60 24 ? 13 SUNDAY 1969")`,
      ],
    ],
    ['a step in day-of-week', { cron: '0 0 ? * 1/2 *' }, [`${S}.cron: day-of-week: "/" is not allowed here (in "0 0 ? * 1/2 *")`]],
    [
      '"#" with another weekday',
      { cron: '0 0 ? * 3#1,6#3 *' },
      [`${S}.cron: day-of-week: "#" takes the whole field, one weekday and its number in the month, like "2#1" (the first Monday) (in "0 0 ? * 3#1,6#3 *")`],
    ],
    ['a backwards range', { cron: '0 17-9 * * ? *' }, [`${S}.cron: hours: the range "17-9" goes backwards (in "0 17-9 * * ? *")`]],
    [
      'a rate in seconds',
      { rate: '30 seconds' },
      [
        `${S}.rate: expected a rate like "1 hour" or "5 minutes" (an integer, a space, and minute(s), hour(s) or day(s)), got "30 seconds"; EventBridge Scheduler runs at most once a minute`,
      ],
    ],
    ['a rate of 0', { rate: '0 minutes' }, [`${S}.rate: a rate must be a whole number of minutes, 1 or more, got "0 minutes"`]],
    [
      'a misspelt time zone',
      { cron: '0 3 * * ? *', timezone: 'Europe/Amsterdm' },
      [`${S}.timezone: must be an IANA time zone such as "Europe/Amsterdam" or "UTC", got "Europe/Amsterdm"; did you mean "Europe/Amsterdam"?`],
    ],
    [
      'a time zone on a rate',
      { rate: '1 hour', timezone: 'UTC' },
      [`${S}.timezone: a rate runs at a fixed interval whatever the time zone; "timezone" applies to "cron" only`],
    ],
    ['enabled as a string', { rate: '1 hour', enabled: 'no' }, [`${S}.enabled: must be true or false, got "no"`]],
    ['cron and rate', { rate: '1 hour', cron: '0 3 * * ? *' }, [`${S}: a schedule has "cron" or "rate", not both`]],
    ['neither cron nor rate', { payload: {} }, [`${S}: a schedule needs "cron" (such as "0 3 * * ? *") or "rate" (such as "1 hour")`]],
    ['an unknown key', { rate: '1 hour', timeZone: 'UTC' }, [`${S}.timeZone: unknown key "timeZone"; did you mean "timezone"?`]],
    ['an empty list', [], [`${S}: needs at least one schedule`]],
    ['a string', '0 3 * * ? *', [`${S}: expected a schedule { "cron" | "rate", … } or a list of them, got "0 3 * * ? *"`]],
    [
      'problems in two list items at once',
      [{ rate: '1 hour' }, { rate: '2 weeks' }, { cron: '0 3 * * ? *', enabled: 1 }],
      [
        `${S}[1].rate: expected a rate like "1 hour" or "5 minutes" (an integer, a space, and minute(s), hour(s) or day(s)), got "2 weeks"`,
        `${S}[2].enabled: must be true or false, got 1`,
      ],
    ],
  ])('refuses %s, at its config path', (_name, schedule, expected) => {
    expect(problemsOf(withSchedule(schedule))).toEqual(expected)
  })

  it("checks the schedules' derived names against AWS's limits", () => {
    const task = `t${'x'.repeat(47)}` // the function name shop-dev-orders-<task> is 64 characters: it fits, its schedule role does not
    const config = minimalConfig({ stacks: { orders: { tasks: { [task]: { consumer: './src/a.ts', schedule: [{ rate: '1 hour' }] } } } } })
    expect(problemsOf(config)).toEqual([
      `stacks.orders.tasks.${task}.schedule: the IAM role name of its schedules "shop-dev-orders-${task}-schedule" (stage "dev") is 73 characters; AWS allows 64. Shorten the app, stage, stack or task name`,
    ])
    expect(problemsOf(minimalConfig({ stacks: { orders: { tasks: { [task]: './src/a.ts' } } } }))).toEqual([])
  })

  it('writes rates as EventBridge does: singular for 1', () => {
    expect(parseRate('1 hours')).toEqual({ expression: 'rate(1 hour)', seconds: 3600 })
    expect(parseRate('5 minute')).toEqual({ expression: 'rate(5 minutes)', seconds: 300 })
    expect(parseRate('2 days')).toEqual({ expression: 'rate(2 days)', seconds: 172800 })
  })

  it('parses cron fields into the values they match', () => {
    const parsed = parseCron('1/20 9-11 ? JAN,MAR 2#1 *')
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect([...parsed.cron.minutes]).toEqual([1, 21, 41])
    expect([...parsed.cron.hours]).toEqual([9, 10, 11])
    expect([...parsed.cron.months]).toEqual([1, 3])
    expect(parsed.cron.days).toEqual({ field: 'week', terms: [{ kind: 'nth', weekday: 2, n: 1 }] })
  })
})
