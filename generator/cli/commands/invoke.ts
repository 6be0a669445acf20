import { readFileSync } from 'node:fs'
import { invokeTask, type TaskAccepted } from '../../../runtime/client/invoke.js'
import { TaskInvokeError } from '../../../runtime/client/errors.js'
import type { DurationText } from '../../../runtime/duration.js'
import { suggest } from '../../config/suggest.js'
import { extractModel } from '../../generate.js'
import { loadModel } from '../../model/load-model.js'
import type { Model } from '../../model/model.js'
import { commonOptions, defineCommand, UsageError, type CommandInput } from '../commands.js'
import { devLambdaClient, devSqsClient, payloadsThroughDev } from '../dev-endpoint.js'
import { EXIT } from '../io.js'
import { configFileOption, stageOption } from '../options.js'

/** `orders.processOrder` → the stack and task, checked against the model, with the nearest name suggested. */
function targetOf(model: Model, positionals: readonly string[]): { stack: string; task: string } {
  if (positionals.length !== 1) throw new UsageError(`expected one task, as <stack>.<task>, got ${positionals.length === 0 ? 'none' : positionals.length}`)
  const target = positionals[0]!
  const dot = target.indexOf('.')
  if (dot <= 0) throw new UsageError(`"${target}": name the task as <stack>.<task>, e.g. orders.processOrder`)
  const [stack, task] = [target.slice(0, dot), target.slice(dot + 1)]
  const labels = model.stacks.flatMap((s) => s.tasks.map((t) => `${s.name}.${t.name}`))
  if (!labels.includes(target)) {
    const guess = suggest(target, labels)
    throw new UsageError(`no task "${target}"${guess ? `; did you mean "${guess}"?` : `; the tasks are: ${labels.join(', ')}`}`)
  }
  return { stack, task }
}

/** --payload: JSON text, or @file for a file of JSON; absent means a call without a payload. */
function payloadOf(value: unknown): unknown {
  if (typeof value !== 'string') return undefined
  const fromFile = value.startsWith('@')
  let text = value
  if (fromFile) {
    try {
      text = readFileSync(value.slice(1), 'utf8')
    } catch (error) {
      throw new UsageError(`--payload: cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`--payload${fromFile ? ` ${value}` : ''}: not JSON (${(error as Error).message})`)
  }
}

/** `--local` sends to the running `task-gen dev` (a queue task's event to its queue there); a delayed call is the client's to make, not this command's. */
function devClient(model: Model, { values, queued }: { values: CommandInput['values']; queued: boolean }) {
  if (values.delay !== undefined)
    throw new UsageError(
      '--delay with --local: `task-gen invoke` does not send delayed calls to dev yet (the client does: point AWS_ENDPOINT_URL at dev); leave out one of the two',
    )
  // A payload over offloadAbove goes to dev's payload bucket, where the worker reads it.
  payloadsThroughDev(model, '--local invokes through')
  return queued ? devSqsClient(model, '--local sends through') : devLambdaClient(model, '--local invokes through')
}

function acceptedLine(label: string, accepted: TaskAccepted): string {
  if (accepted.messageId !== undefined) return `accepted: ${label} → message ${accepted.messageId} on its queue (function ${accepted.functionName})`
  if (accepted.schedule) return `scheduled: ${label} at ${accepted.schedule.at.toISOString()} (schedule ${accepted.schedule.arn})`
  return `accepted: ${label} → request ${accepted.requestId} (function ${accepted.functionName})`
}

export const invokeCommand = defineCommand({
  name: 'invoke',
  summary: "send one event to a task, as the client's call does (validated, then an Event invoke)",
  positionals: '<stack>.<task>',
  options: {
    ...commonOptions,
    payload: { type: 'string', value: '<json|@file>', description: 'the payload, as JSON or @ and a file of JSON (default: none)' },
    delay: { type: 'string', value: '<duration>', description: "run it later, e.g. '10 minutes' (the task needs delay in its config)" },
    local: { type: 'boolean', description: 'invoke the running `task-gen dev` instead of AWS' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values, positionals, io }) {
    const model = loadModel({ configFile: configFileOption(values), stage: stageOption(values) })
    const { stack, task } = targetOf(model, positionals)
    const payload = payloadOf(values.payload)
    const queued = model.stacks.some((s) => s.name === stack && s.tasks.some((t) => t.name === task && t.queue !== undefined))
    const client = values.local ? await devClient(model, { values, queued }) : undefined
    // The manifest holds the payload types, so the event is checked as the generated client checks it.
    const { extraction } = await extractModel(model)
    const delay = values.delay as DurationText | undefined
    try {
      const accepted = await invokeTask({ manifest: extraction.manifest, stack, task }, payload, { stage: model.stage, client, ...(delay ? { delay } : {}) })
      io.stdout(values.json ? JSON.stringify(accepted, null, 2) : acceptedLine(`${stack}.${task}`, accepted))
      return EXIT.ok
    } catch (error) {
      if (!(error instanceof TaskInvokeError)) throw error
      io.stderr(`task-gen: ${error.message}`)
      return EXIT.problem
    } finally {
      client?.destroy()
    }
  },
})
