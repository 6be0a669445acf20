import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readJsonObject } from './read-body.js'

/**
 * The part of EventBridge Scheduler's API that a delayed call makes (`CreateSchedule` of a
 * one-time `at(…)` schedule, REST-JSON at `POST /schedules/<name>`), so that a delayed call of the
 * unchanged client waits in `task-gen dev` and then runs as Scheduler would run it: an
 * asynchronous invoke of its target with its input, or for a task queue a message of it.
 */

const SCHEDULE_PATH = /^\/schedules\/([^/?]+)$/
/** `at(2026-12-03T10:00:00)`: Scheduler's one-time expression, in the schedule's time zone. */
const AT_EXPRESSION = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/
const MAX_REQUEST_BYTES = 1024 * 1024

export interface OneTimeSchedule {
  name: string
  group: string
  at: Date
  targetArn: string
  input: string | undefined
}

export interface SchedulerTarget {
  /** Creates the schedule; 'conflict' when the group has one of that name, 'unknown target' when its target is no function or task queue of this app. */
  create(schedule: OneTimeSchedule): { arn: string } | 'conflict' | 'unknown target'
}

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}

function answer(res: ServerResponse, { status, body, type }: { status: number; body: unknown; type?: string }): void {
  const text = JSON.stringify(body)
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...(type ? { 'x-amzn-errortype': type } : {}),
    })
    .end(text)
}

export function isSchedulerRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && SCHEDULE_PATH.test(req.url ?? '')
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const input = await readJsonObject(req, MAX_REQUEST_BYTES)
  if (input === 'too large') throw new SchedulerError(400, 'ValidationException', 'The request is too large')
  if (input === 'not an object') throw new SchedulerError(400, 'ValidationException', 'The request body is not a JSON object')
  return input
}

/** A CreateSchedule request as dev runs it: one-time, in UTC, with a target and its input. */
function scheduleOf(name: string, input: Record<string, unknown>): OneTimeSchedule {
  const expression = typeof input.ScheduleExpression === 'string' ? input.ScheduleExpression : ''
  const at = AT_EXPRESSION.exec(expression)
  if (!at) throw new SchedulerError(400, 'ValidationException', `task-gen dev runs one-time at(…) schedules only, not ${JSON.stringify(expression)}`)
  const zone = input.ScheduleExpressionTimezone ?? 'UTC'
  if (zone !== 'UTC') throw new SchedulerError(400, 'ValidationException', `task-gen dev runs one-time schedules in UTC only, not ${String(zone)}`)
  const target = input.Target as { Arn?: unknown; Input?: unknown } | undefined
  if (typeof target?.Arn !== 'string') throw new SchedulerError(400, 'ValidationException', 'Target.Arn is required')
  return {
    name,
    group: typeof input.GroupName === 'string' ? input.GroupName : 'default',
    at: new Date(`${at[1]}Z`),
    targetArn: target.Arn,
    input: typeof target.Input === 'string' ? target.Input : undefined,
  }
}

/** Answers one Scheduler request. */
export async function handleSchedulerRequest(req: IncomingMessage, res: ServerResponse, target: SchedulerTarget): Promise<void> {
  try {
    const name = decodeURIComponent(SCHEDULE_PATH.exec(req.url ?? '')![1]!)
    const created = target.create(scheduleOf(name, await readJson(req)))
    if (created === 'conflict') throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`)
    if (created === 'unknown target')
      throw new SchedulerError(
        400,
        'ValidationException',
        'The target is no function or task queue of this app and stage (task-gen dev runs only its own tasks)',
      )
    answer(res, { status: 200, body: { ScheduleArn: created.arn } })
  } catch (error) {
    if (!(error instanceof SchedulerError)) throw error
    if (!req.complete) req.resume()
    if (!res.headersSent) answer(res, { status: error.status, type: error.type, body: { Message: error.message, message: error.message } })
  }
}
