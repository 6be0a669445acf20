import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DevSchedules } from '../../generator/dev/dev-schedules.js'
import type { Model } from '../../generator/model/model.js'
import { loadInMemory, minimalConfig } from '../helpers/project.js'

function model(schedule: unknown): Model {
  return loadInMemory(minimalConfig({ stacks: { orders: { tasks: { processOrder: { consumer: './src/process-order.ts', schedule } } } } }))
}

const MINUTE = 60_000

describe('the schedules of task-gen dev, on a fake clock', () => {
  let fired: unknown[]
  let lines: string[]
  const schedules = (settings = { enabled: true, speed: 1 }) =>
    new DevSchedules(settings, { fire: (_task, schedule) => fired.push(schedule.payload), info: (line) => lines.push(line) })

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-03-28T12:00:30Z') })
    fired = []
    lines = []
  })
  afterEach(() => vi.useRealTimers())

  it('a rate fires once per interval with its payload; a reload that keeps it keeps its phase; removing it stops it', () => {
    const dev = schedules()
    dev.update(model({ rate: '1 minute', payload: 'p' }))
    vi.advanceTimersByTime(MINUTE)
    expect(fired).toEqual(['p'])
    vi.advanceTimersByTime(MINUTE / 2)
    dev.update(model({ rate: '1 minute', payload: 'p' })) // a reload of an unchanged config
    vi.advanceTimersByTime(MINUTE / 2)
    expect(fired).toEqual(['p', 'p'])
    dev.update(model({ rate: '1 minute', payload: 'q' })) // changed: the old one stops, the new one starts
    vi.advanceTimersByTime(3 * MINUTE)
    expect(fired).toEqual(['p', 'p', 'q', 'q', 'q'])
    dev.update(loadInMemory(minimalConfig()))
    vi.advanceTimersByTime(10 * MINUTE)
    expect(fired).toHaveLength(5)
    dev.close()
  })

  it('a cron fires at its next wall-clock time in its zone, shown at start', () => {
    const dev = schedules()
    // 12:00:30Z is 13:00:30 in Amsterdam (winter time): today's 13:00 has passed; tomorrow is summer time, so 13:00 is 11:00Z.
    dev.update(model({ cron: '0 13 * * ? *', timezone: 'Europe/Amsterdam', payload: 1 }))
    expect(lines).toEqual([
      'schedule    orders.processOrder cron(0 13 * * ? *) Europe/Amsterdam (stacks.orders.tasks.processOrder.schedule): next 2026-03-29 13:00 Europe/Amsterdam',
    ])
    vi.advanceTimersByTime(22 * 60 * MINUTE + 59 * MINUTE) // 10:59:30Z
    expect(fired).toEqual([])
    vi.advanceTimersByTime(MINUTE)
    expect(fired).toEqual([1])
    dev.close()
  })

  it('speed runs the schedules clock faster; paused schedules and --no-schedules fire nothing', () => {
    const fast = schedules({ enabled: true, speed: 60 })
    fast.update(
      model([
        { rate: '1 hour', payload: 'hourly' },
        { rate: '1 minute', enabled: false },
      ]),
    )
    vi.advanceTimersByTime(MINUTE)
    expect(fired).toEqual(['hourly'])
    expect(lines.at(-1)).toBe('schedule    orders.processOrder rate(1 minute) (stacks.orders.tasks.processOrder.schedule[1]): paused (enabled: false)')
    fast.close()
    const off = schedules({ enabled: false, speed: 1 })
    off.update(model({ rate: '1 minute' }))
    vi.advanceTimersByTime(10 * MINUTE)
    expect(fired).toEqual(['hourly'])
    expect(lines.at(-1)).toBe('schedules   off (--no-schedules): 1 schedule(s) will not fire')
  })
})
