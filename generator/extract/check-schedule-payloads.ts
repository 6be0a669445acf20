import { taskLabel } from '../../runtime/names.js'
import { validate } from '../../runtime/validate.js'
import { formatPath, UserError, type ConfigPath, type Problem } from '../errors/problem.js'
import type { Model } from '../model/model.js'
import type { Extraction } from './extract.js'

const STEP = /^\.([A-Za-z_$][\w$]*)|^\[(\d+)\]|^\[("(?:[^"\\]|\\.)*")\]/

/** A validator issue's path (`payload.items[0]["a b"]`) as config path steps below the payload. */
function issueSteps(path: string): ConfigPath {
  const steps: (string | number)[] = []
  let rest = path.replace(/^payload/, '')
  for (let match = STEP.exec(rest); match; match = STEP.exec(rest)) {
    steps.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3]!) as string)))
    rest = rest.slice(match[0].length)
  }
  return steps
}

/**
 * Every schedule's payload against its task's payload type, with the validator the task wrapper
 * runs: a payload the handler would refuse at 3 a.m. is refused by `check` instead, at its config
 * path (`stacks.s.tasks.t.schedule.payload.kind`).
 */
export function schedulePayloadProblems(model: Model, extraction: Extraction): Problem[] {
  const problems: Problem[] = []
  for (const { model: task, schema } of extraction.tasks) {
    for (const schedule of task.schedules) {
      for (const issue of validate(schema, extraction.defs, schedule.payload)) {
        const path: ConfigPath = [...schedule.path, 'payload', ...issueSteps(issue.path)]
        const location = model.locate?.(path)
        const message = `${issue.message} (the payload type of ${taskLabel(task.stack, task.name)}, which each firing of this schedule delivers)`
        problems.push({ code: 'invalid_type', path: formatPath(path), message, ...(location ? { location } : {}) })
      }
    }
  }
  return problems
}

export function checkSchedulePayloads(model: Model, extraction: Extraction): void {
  const problems = schedulePayloadProblems(model, extraction)
  if (problems.length > 0) throw new UserError(problems)
}
