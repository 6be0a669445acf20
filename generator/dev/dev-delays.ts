import type { OneTimeSchedule, SchedulerTarget } from './scheduler-api.js'

/** setTimeout's longest wait (about 24.8 days); a delay of up to a year waits in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1

export interface DelaySettings {
  /** The delays' clock runs this many times faster than real time (`--delay-speed`). */
  speed: number
  region: string
  account: string
}

export interface DelayHooks {
  /** Whether a target ARN names a function dev runs, or one of its task queues. */
  knows(targetArn: string): boolean
  /** The schedule's time has come: invoke its target with its input (a queue's: send it as a message), as Scheduler does. */
  fire(schedule: OneTimeSchedule): void
}

/**
 * The one-time schedules of delayed calls, kept in memory until they fire (then deleted, as
 * `ActionAfterCompletion: DELETE` asks): a schedule's name is unique in its group.
 */
export class DevDelays {
  private readonly timers = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly settings: DelaySettings,
    private readonly hooks: DelayHooks,
  ) {}

  target(): SchedulerTarget {
    return {
      create: (schedule) => {
        const key = `${schedule.group}/${schedule.name}`
        if (this.timers.has(key)) return 'conflict'
        if (!this.hooks.knows(schedule.targetArn)) return 'unknown target'
        const waitMs = Math.max(0, schedule.at.getTime() - Date.now()) / this.settings.speed
        this.wait(key, { until: Date.now() + waitMs, schedule })
        return { arn: `arn:aws:scheduler:${this.settings.region}:${this.settings.account}:schedule/${key}` }
      },
    }
  }

  /** Schedules waiting. */
  get size(): number {
    return this.timers.size
  }

  private wait(key: string, { until, schedule }: { until: number; schedule: OneTimeSchedule }): void {
    const left = until - Date.now()
    const timer = setTimeout(
      () => {
        if (left > MAX_TIMER_MS) return this.wait(key, { until, schedule })
        this.timers.delete(key)
        this.hooks.fire(schedule)
      },
      Math.min(Math.max(0, left), MAX_TIMER_MS),
    )
    this.timers.set(key, timer)
  }

  /** Drops every waiting schedule (dev keeps none on disk); returns how many there were. */
  close(): number {
    for (const timer of this.timers.values()) clearTimeout(timer)
    const left = this.timers.size
    this.timers.clear()
    return left
  }
}
