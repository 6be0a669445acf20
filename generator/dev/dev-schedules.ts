import { randomUUID } from 'node:crypto'
import { formatPath } from '../errors/problem.js'
import type { Model, ScheduleModel, TaskModel } from '../model/model.js'
import { taskLabel } from '../../runtime/names.js'
import { nextFireTime, wallClock } from './next-fire-time.js'

/**
 * The schedules of `task-gen dev`: each fires on its cron or rate in its time zone, as an async
 * invoke of its task with its payload, the way EventBridge Scheduler delivers it. `speed` runs
 * the schedules' clock that many times faster than real time (from when dev started), so that a
 * test or a demo sees an hourly schedule fire without waiting an hour.
 */

export interface ScheduleSettings {
  /** false: `--no-schedules`, nothing fires. */
  enabled: boolean
  /** How many times faster than real time the schedules' clock runs. @default 1 */
  speed: number
  /** Real time, for tests. @default Date.now */
  now?: () => number
}

export interface ScheduleHooks {
  /** Delivers one firing: an async invoke of the task. */
  fire(task: TaskModel, schedule: ScheduleModel, requestId: string): void
  info(line: string): void
}

interface Running {
  cancel: () => void
}

/** One schedule of one task. */
interface Scheduled {
  task: TaskModel
  schedule: ScheduleModel
}

/** What identifies a schedule across reloads: one that did not change keeps its timer (and a rate its phase). */
function keyOf(task: TaskModel, schedule: ScheduleModel): string {
  return JSON.stringify([task.stack, task.name, schedule.path, schedule.expression, schedule.timezone, schedule.enabled, schedule.payload])
}

export function describeSchedule(task: TaskModel, schedule: ScheduleModel): string {
  const zone = schedule.timing.kind === 'cron' ? ` ${schedule.timezone}` : ''
  return `${taskLabel(task.stack, task.name)} ${schedule.expression}${zone} (${formatPath(schedule.path)})`
}

/** An instant on the wall clock of `zone`, to the minute, as people write it: `2026-12-03 03:00 Europe/Amsterdam`. */
export function formatInstant(instant: number, zone: string): string {
  const { year, month, day, hour, minute } = wallClock(instant, zone)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${year}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)} ${zone}`
}

/** Node's timers hold at most 2^31-1 ms; a later firing waits in steps. */
const LONGEST_TIMER = 2 ** 31 - 1

export class DevSchedules {
  private readonly running = new Map<string, Running>()
  private updated = false
  private readonly now: () => number
  /** The real and the schedules' time at which dev started: the schedules' clock runs `speed` times faster from there. */
  private readonly origin: number

  constructor(
    private readonly settings: ScheduleSettings,
    private readonly hooks: ScheduleHooks,
  ) {
    this.now = settings.now ?? Date.now
    this.origin = this.now()
  }

  /** The schedules' clock. */
  clock(): number {
    return this.origin + (this.now() - this.origin) * this.settings.speed
  }

  /** Starts the model's schedules (at start, and after every reload): new and changed ones start, removed ones stop. */
  update(model: Model): void {
    const wanted = new Map<string, Scheduled>()
    for (const task of model.stacks.flatMap((s) => s.tasks)) for (const schedule of task.schedules) wanted.set(keyOf(task, schedule), { task, schedule })
    const first = !this.updated
    this.updated = true
    for (const [key, running] of this.running) {
      if (!wanted.has(key)) {
        running.cancel()
        this.running.delete(key)
      }
    }
    if (!this.settings.enabled) {
      if (first && wanted.size > 0) this.hooks.info(`schedules   off (--no-schedules): ${wanted.size} schedule(s) will not fire`)
      return
    }
    for (const [key, scheduled] of wanted) {
      if (this.running.has(key)) continue
      const { task, schedule } = scheduled
      if (!schedule.enabled) {
        this.hooks.info(`schedule    ${describeSchedule(task, schedule)}: paused (enabled: false)`)
        continue
      }
      this.start(key, scheduled, true)
    }
  }

  private start(key: string, scheduled: Scheduled, announce: boolean): void {
    const { task, schedule } = scheduled
    const next = nextFireTime(schedule, this.clock(), this.origin)
    const speed = this.settings.speed === 1 ? '' : ` (schedule clock at ${this.settings.speed}x)`
    if (next === undefined) {
      this.hooks.info(`schedule    ${describeSchedule(task, schedule)}: never fires again`)
      return
    }
    if (announce) this.hooks.info(`schedule    ${describeSchedule(task, schedule)}: next ${formatInstant(next, schedule.timezone)}${speed}`)
    let timer: NodeJS.Timeout
    const wait = () => {
      const delay = (next - this.clock()) / this.settings.speed
      timer = setTimeout(delay > LONGEST_TIMER ? wait : fire, Math.max(0, Math.min(delay, LONGEST_TIMER)))
      timer.unref()
    }
    const fire = () => {
      this.running.delete(key)
      this.hooks.fire(task, schedule, randomUUID())
      this.start(key, scheduled, false)
    }
    this.running.set(key, { cancel: () => clearTimeout(timer) })
    wait()
  }

  close(): void {
    for (const running of this.running.values()) running.cancel()
    this.running.clear()
  }
}
