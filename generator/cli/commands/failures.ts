import type { ListedFailure } from '../../failures/read-failures.js'
import { loadModel } from '../../model/load-model.js'
import { commonOptions, failureFilterOptions, UsageError, type CommandSpec } from '../commands.js'
import { EXIT } from '../io.js'
import { configFileOption, stageOption } from '../options.js'

function summary(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function line(item: ListedFailure): string {
  if (!item.ok) return `(undecodable)  ${item.queue}  ${item.reason}  message ${item.messageId}`
  const f = item.failure
  return `${f.timestamp}  ${f.stack}.${f.task}  ${f.condition}  ${f.error.type}: ${f.error.message}  payload ${summary(f.payload)}`
}

function limitOption(value: unknown): number {
  if (value === undefined) return 50
  const limit = Number(value)
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: expected a whole number of 1 or more, got "${String(value)}"`)
  return limit
}

export const failuresListCommand: CommandSpec = {
  name: 'failures list',
  summary: 'show failed invocations from the failure queues, without consuming them',
  options: {
    ...commonOptions,
    ...failureFilterOptions,
    json: { type: 'boolean', description: 'print JSON' },
    local: { type: 'boolean', description: 'read the local store of `task-gen dev` (not available yet)' },
  },
  async run({ values, io }) {
    if (values.local) throw new UsageError('--local needs `task-gen dev`, which is not available yet')
    const model = loadModel({ configFile: configFileOption(values), stage: stageOption(values) })
    const stack = typeof values.stack === 'string' ? values.stack : undefined
    const task = typeof values.task === 'string' ? values.task : undefined
    if (stack !== undefined && !model.stacks.some((s) => s.name === stack)) throw new UsageError(`--stack: no stack "${stack}"; the stacks are: ${model.stacks.map((s) => s.name).join(', ')}`)
    const { readFailures } = await import('../../failures/read-failures.js') // the SQS client loads only for this command
    const listing = await readFailures(model, { stack, task, limit: limitOption(values.limit) })
    for (const queue of listing.missingQueues) io.stderr(`note: the failure queue ${queue} does not exist (not deployed to stage "${model.stage}" in this region?)`)
    if (values.json) io.stdout(JSON.stringify(listing.failures, null, 2))
    else if (listing.failures.length === 0) io.stdout('no failures')
    else for (const item of listing.failures) io.stdout(line(item))
    return EXIT.ok
  },
}
