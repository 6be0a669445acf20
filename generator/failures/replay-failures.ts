import type { LambdaClient } from '@aws-sdk/client-lambda'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { TaskInvokeError } from '../../runtime/client/errors.js'
import { invokeTask, prepareInvoke } from '../../runtime/client/invoke.js'
import { taskManifest, type ClientManifest } from '../../runtime/client/manifest.js'
import { decodeFailure, type TaskFailure } from '../../runtime/failures/decode-failure.js'
import { resolveFailurePayload } from '../../runtime/failures/resolve-payload.js'
import type { Model } from '../model/model.js'
import { failureTaskIndex } from '../model/failure-task-index.js'
import { drainQueue, failureSources, type FailureFilter, type FailureStore, type HeldMessage } from './failure-store.js'

export type ReplayOutcome =
  | { kind: 'replayed'; failure: TaskFailure; requestId: string }
  | { kind: 'would-replay'; failure: TaskFailure }
  | { kind: 'failed'; failure: TaskFailure; reason: string }
  | { kind: 'skipped'; failure?: TaskFailure; reason: string }

export type ReplayEvent = ReplayOutcome & { queue: string; messageId: string }

export interface ReplayOptions extends FailureFilter {
  /** Decode and report, but invoke and delete nothing. */
  dryRun: boolean
  /** The Lambda client to invoke with. @default the client runtime's shared one */
  client?: LambdaClient
  /** The SQS client a queue task's event is sent again with, through its queue. @default the client runtime's shared one */
  sqsClient?: SQSClient
  /** Called once per record, as it is settled: progress. */
  onEvent?: (event: ReplayEvent) => void
  /** Why stored payloads cannot be read here (a local dry run with no dev to read them from): such records are skipped with it. @default they can */
  payloadsUnavailable?: string
}

/** The app a replay sends to: its model, and the client manifest its payloads are checked against. */
export interface ReplayApp {
  model: Model
  manifest: ClientManifest
}

export interface ReplaySummary {
  replayed: number
  failed: number
  skipped: number
  wouldReplay: number
  missingQueues: string[]
}

/** Re-sends one record's payload through the client's invoke path; the outcome says what became of it. */
async function replayOne(recorded: TaskFailure, { model, manifest }: ReplayApp, options: ReplayOptions): Promise<ReplayOutcome> {
  if (recorded.payloadRef && options.payloadsUnavailable !== undefined) return { kind: 'skipped', failure: recorded, reason: options.payloadsUnavailable }
  // A payload stored in S3 is read back and sent again through the client, which stores it anew when it is still over the threshold.
  const resolved = await resolveFailurePayload(recorded)
  if (!resolved.ok) return { kind: 'skipped', failure: recorded, reason: resolved.reason }
  const failure = resolved.failure
  // A queue task's event goes back through its queue, as the client sends it; any other's is invoked again.
  const queued = taskManifest(manifest, failure.stack, failure.task)?.queue !== undefined
  const call = { stage: model.stage, client: queued ? options.sqsClient : options.client }
  try {
    if (options.dryRun) {
      prepareInvoke({ manifest, stack: failure.stack, task: failure.task }, failure.payload, call)
      return { kind: 'would-replay', failure }
    }
    const accepted = await invokeTask({ manifest, stack: failure.stack, task: failure.task }, failure.payload, call)
    return { kind: 'replayed', failure, requestId: accepted.requestId }
  } catch (error) {
    if (!(error instanceof TaskInvokeError)) throw error
    // It would fail the same way every time: sending it again needs a change first.
    if (error.code === 'INVALID_PAYLOAD' || error.code === 'PAYLOAD_TOO_LARGE') return { kind: 'skipped', failure, reason: error.message }
    return { kind: 'failed', failure, reason: error.message }
  }
}

/**
 * Re-invokes each failed event and deletes its record only once Lambda accepted the new
 * invocation (202). A record that fails, is skipped or cannot be decoded stays where it was.
 */
export async function replayFailures(app: ReplayApp, store: FailureStore, options: ReplayOptions): Promise<ReplaySummary> {
  const { model } = app
  const index = failureTaskIndex(model)
  const summary: ReplaySummary = { replayed: 0, failed: 0, skipped: 0, wouldReplay: 0, missingQueues: [] }
  // A replayed event that fails again leaves a new record: this replay takes only the records it found.
  const startedAt = Date.now()
  let seen = 0
  const settle = (event: ReplayEvent) => {
    seen++
    if (event.kind === 'replayed') summary.replayed++
    else if (event.kind === 'failed') summary.failed++
    else if (event.kind === 'skipped') summary.skipped++
    else summary.wouldReplay++
    options.onEvent?.(event)
  }
  for (const source of failureSources(model, options)) {
    if (seen >= options.limit) break
    const queue = await store.queue(source.queue)
    if (!queue) {
      summary.missingQueues.push(source.queue)
      continue
    }
    const visit = async (message: HeldMessage) => {
      const where = { queue: queue.name, messageId: message.id }
      if (message.sentAt > startedAt) return 'release'
      const decoded = decodeFailure(message.body, index, message.attributes)
      if (!source.wants(decoded)) return 'release'
      const outcome: ReplayOutcome = decoded.ok
        ? await replayOne(decoded.failure, app, options)
        : { kind: 'skipped', reason: `cannot be decoded: ${decoded.reason}` }
      if (outcome.kind !== 'replayed') {
        settle({ ...outcome, ...where })
        return 'release'
      }
      try {
        await queue.delete(message)
      } catch (error) {
        // The event was sent again, yet its record stays: say so, or a later replay would send it twice.
        const reason = `it was replayed (request ${outcome.requestId}), but deleting its record failed: ${(error as Error).message}; delete it by hand or it will be replayed again`
        settle({ kind: 'failed', failure: outcome.failure, reason, ...where })
        return 'release'
      }
      settle({ ...outcome, ...where })
      return 'consumed'
    }
    await drainQueue(queue, () => options.limit - seen, visit)
  }
  return summary
}
