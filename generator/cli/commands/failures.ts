import type { ListedFailure } from '../../failures/read-failures.js'
import { readFailures } from '../../failures/read-failures.js'
import { replayFailures, type ReplayEvent, type ReplaySummary } from '../../failures/replay-failures.js'
import type { FailureFilter, FailureStore } from '../../failures/failure-store.js'
import { localFailureStore } from '../../failures/local-store.js'
import { extractModel } from '../../generate.js'
import { loadModel } from '../../model/load-model.js'
import type { Model } from '../../model/model.js'
import { commonOptions, defineCommand, failureFilterOptions, UsageError, type CommandInput } from '../commands.js'
import { EXIT, type CliIo } from '../io.js'
import { devLambdaClient, devSqsClient, payloadsThroughDev } from '../dev-endpoint.js'
import { configFileOption, stageOption } from '../options.js'

function summary(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function listLine(item: ListedFailure): string {
  if (!item.ok) return `(undecodable)  ${item.queue}  ${item.reason}  message ${item.messageId}`
  const f = item.failure
  const payload = f.payloadRef ? `s3://${f.payloadRef.bucket}/${f.payloadRef.key} (${f.payloadRef.bytes} bytes)` : summary(f.payload)
  return `${f.timestamp}  ${f.stack}.${f.task}  ${f.condition}  ${f.error.type}: ${f.error.message}  payload ${payload}`
}

function limitOption(value: unknown): number {
  if (value === undefined) return 50
  const limit = Number(value)
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: expected a whole number of 1 or more, got "${String(value)}"`)
  return limit
}

/** --stack, --task and --limit, checked against the model. */
function filterOf(model: Model, values: CommandInput['values']): FailureFilter {
  const stack = typeof values.stack === 'string' ? values.stack : undefined
  const task = typeof values.task === 'string' ? values.task : undefined
  if (stack !== undefined && !model.stacks.some((s) => s.name === stack))
    throw new UsageError(`--stack: no stack "${stack}"; the stacks are: ${model.stacks.map((s) => s.name).join(', ')}`)
  const tasks = model.stacks.flatMap((s) => s.tasks).filter((t) => stack === undefined || t.stack === stack)
  if (task !== undefined && !tasks.some((t) => t.name === task))
    throw new UsageError(`--task: no task "${task}"${stack ? ` in stack "${stack}"` : ''}; the tasks are: ${tasks.map((t) => t.name).join(', ')}`)
  const deadLetter = values['dead-letter'] === true
  if (deadLetter && !model.onFailure) throw new UsageError('--dead-letter: there is no dead-letter queue, because the config has no onFailure handler')
  return { stack, task, limit: limitOption(values.limit), deadLetter }
}

function noteMissing(io: CliIo, model: Model, queues: readonly string[]): void {
  for (const queue of queues) io.stderr(`note: the failure queue ${queue} does not exist (not deployed to stage "${model.stage}" in this region?)`)
}

async function storeOf(model: Model, values: CommandInput['values']): Promise<FailureStore> {
  if (values.local) return localFailureStore(model.rootDir)
  const { sqsFailureStore } = await import('../../failures/sqs-store.js') // the SQS client loads only for these commands
  return sqsFailureStore(model)
}

export const failuresListCommand = defineCommand({
  name: 'failures list',
  summary: 'show failed invocations from the failure queues, without consuming them',
  options: {
    ...commonOptions,
    ...failureFilterOptions,
    json: { type: 'boolean', description: 'print JSON' },
    local: { type: 'boolean', description: 'read the local failure store of `task-gen dev` (.task-gen/dev/failures)' },
  },
  async run({ values, io }) {
    const model = loadModel({ configFile: configFileOption(values), stage: stageOption(values) })
    const listing = await readFailures(model, filterOf(model, values), await storeOf(model, values))
    noteMissing(io, model, listing.missingQueues)
    if (values.json) io.stdout(JSON.stringify(listing.failures, null, 2))
    else if (listing.failures.length === 0) io.stdout('no failures')
    else for (const item of listing.failures) io.stdout(listLine(item))
    return EXIT.ok
  },
})

function replayLine(event: ReplayEvent): string {
  const what = event.failure ? `${event.failure.stack}.${event.failure.task} ${summary(event.failure.payload, 60)}` : event.queue
  const where = `message ${event.messageId}`
  switch (event.kind) {
    case 'replayed':
      return `✓ replayed  ${what}  ${where} → request ${event.requestId}`
    case 'would-replay':
      return `· would replay  ${what}  ${where}`
    case 'failed':
      return `✗ failed  ${what}  ${where}: ${event.reason}; the record stays on the queue`
    case 'skipped':
      return `- skipped  ${what}  ${where}: ${event.reason}; the record stays on the queue`
    default:
      return event satisfies never
  }
}

function replayTotals(summary: ReplaySummary, dryRun: boolean): string {
  if (dryRun) return `dry run: would replay ${summary.wouldReplay}, would skip ${summary.skipped}; nothing was sent or deleted`
  return `replayed ${summary.replayed}, failed ${summary.failed}, skipped ${summary.skipped}`
}

/** Offloaded payloads of local records are in the running dev's payload bucket: read them there, or say why they cannot be (a dry run needs no dev otherwise). */
function localPayloads(model: Model): string | undefined {
  try {
    payloadsThroughDev(model, 'its payload is stored in the payload bucket of')
    return undefined
  } catch (error) {
    if (error instanceof UsageError) return error.message
    throw error
  }
}

export const failuresReplayCommand = defineCommand({
  name: 'failures replay',
  summary: 're-invoke failed events, deleting each only once Lambda accepted it',
  options: {
    ...commonOptions,
    ...failureFilterOptions,
    'dry-run': { type: 'boolean', description: 'show what would be replayed; send and delete nothing' },
    local: { type: 'boolean', description: 'replay from the local failure store, through the running `task-gen dev`' },
  },
  async run({ values, io }) {
    const model = loadModel({ configFile: configFileOption(values), stage: stageOption(values) })
    const filter = filterOf(model, values)
    const viaDev = values.local && values['dry-run'] !== true
    const client = viaDev ? await devLambdaClient(model, '--local replays through') : undefined
    const sqsClient = viaDev ? await devSqsClient(model, '--local replays through') : undefined
    // The payloads are checked against the handlers' current types, as the client would.
    const { extraction } = await extractModel(model)
    const dryRun = values['dry-run'] === true
    const payloadsUnavailable = values.local ? localPayloads(model) : undefined
    const result = await replayFailures({ model, manifest: extraction.manifest }, await storeOf(model, values), {
      ...filter,
      client,
      sqsClient,
      dryRun,
      payloadsUnavailable,
      onEvent: (event) => io.stdout(replayLine(event)),
    })
    noteMissing(io, model, result.missingQueues)
    io.stdout(replayTotals(result, dryRun))
    return result.failed > 0 ? EXIT.problem : EXIT.ok
  },
})
