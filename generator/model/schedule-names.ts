import { scheduleGroupName, scheduleRoleName, type TaskNameParts } from '../../runtime/names.js'
import { formatPath, type ConfigPath, type Problem, type SourceLocation } from '../errors/problem.js'
import { isObject, rawTasks } from '../config/raw-tasks.js'
import { appName } from '../config/schema.js'

/** AWS limits: schedule and schedule group names 64 characters, IAM role names 64. */
export const SCHEDULE_NAME_LIMITS = { group: 64, schedule: 64, role: 64 } as const

export interface ScheduleNames {
  /** The stack's schedule group: each Terraform stack owns its group, so destroying one stack never removes another's schedules. */
  group: string
  /** Unique within the group: the task, and the index when the config lists several. */
  schedule: string
  /** The role Scheduler assumes to invoke the task's function. */
  role: string
}

export function scheduleNames(parts: TaskNameParts, index: number | undefined): ScheduleNames {
  return {
    group: scheduleGroupName(parts),
    schedule: index === undefined ? parts.task : `${parts.task}-${index}`,
    role: scheduleRoleName(parts),
  }
}

const LABELS: Record<keyof ScheduleNames, string> = { group: 'schedule group name', schedule: 'schedule name', role: 'IAM role name of its schedules' }

/** The schedules' derived names must fit AWS's limits; the message shows the name, as checkDerivedNames does for the task's. */
export function checkScheduleNames(raw: unknown, stage: string, locate: (path: ConfigPath) => SourceLocation | undefined): Problem[] {
  const app = (raw as { app?: unknown } | null)?.app
  if (!appName.safeParse(app).success) return []
  const problems: Problem[] = []
  const check = (at: ConfigPath, kind: keyof ScheduleNames, name: string) => {
    if (name.length <= SCHEDULE_NAME_LIMITS[kind]) return
    const location = locate(at)
    const message = `the ${LABELS[kind]} "${name}" (stage "${stage}") is ${name.length} characters; AWS allows ${SCHEDULE_NAME_LIMITS[kind]}. Shorten the app, stage, stack or task name`
    problems.push({ code: 'name_too_long', path: formatPath(at), message, ...(location ? { location } : {}) })
  }
  for (const { stack, task, path, value } of rawTasks(raw)) {
    const schedule = isObject(value) ? value.schedule : undefined
    const delay = isObject(value) ? value.delay === true : false
    if (schedule === undefined && !delay) continue
    const parts = { app: app as string, stage, stack, task }
    // The group and the role are one per task's schedules and delayed calls: checked once, at `schedule` (else `delay`).
    const first = scheduleNames(parts, undefined)
    const at = [...path, schedule === undefined ? 'delay' : 'schedule']
    check(at, 'group', first.group)
    check(at, 'role', first.role)
    if (schedule === undefined) continue
    if (!Array.isArray(schedule)) check([...path, 'schedule'], 'schedule', first.schedule)
    else for (const i of schedule.keys()) check([...path, 'schedule', i], 'schedule', scheduleNames(parts, i).schedule)
  }
  return problems
}
