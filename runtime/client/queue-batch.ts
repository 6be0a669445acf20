import { taskLabel } from '../names.js'
import { invokeBatch, payloadOptions, type BatchCallOptions, type TaskBatchResult } from './batch.js'
import { TaskInvokeError } from './errors.js'
import { invokeFailure, invokeTask, MAX_QUEUE_MESSAGE_BYTES, prepareInvoke, type TaskTarget } from './invoke.js'
import { messageOf } from './queue-send.js'
import { createDelayedCall } from './delayed-call.js'
import { loadSqsSdk, queueUrl, sqsClient } from './sqs-client.js'
import { sendsThroughSdk, type InvokeRequest } from './transport.js'

/** SQS's most entries per SendMessageBatch. */
const MAX_BATCH_ENTRIES = 10
/** What an offloaded payload's message weighs at most: its envelope with the reference, not the payload. */
const ENVELOPE_BYTES = 1024

interface Entry {
  index: number
  request: InvokeRequest
}

/** Consecutive entries, at most ten and 1 MiB of bodies per request, as SendMessageBatch takes them. */
function chunksOf(entries: readonly Entry[]): Entry[][] {
  const chunks: Entry[][] = []
  let chunk: Entry[] = []
  let bytes = 0
  for (const entry of entries) {
    const size = entry.request.offload ? ENVELOPE_BYTES : Math.max(2, entry.request.body?.byteLength ?? 0)
    if (chunk.length === MAX_BATCH_ENTRIES || (chunk.length > 0 && bytes + size > MAX_QUEUE_MESSAGE_BYTES)) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(entry)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

function refused(entry: Entry, message: string): TaskInvokeError {
  const { stack, task, functionName } = entry.request
  return new TaskInvokeError(`Task ${taskLabel(stack, task)}: ${message}`, { code: 'NOT_ACCEPTED', stack, task, functionName, attempts: 1 })
}

/** One SendMessageBatch; every entry's result lands at its index. An entry whose body could not be stored fails alone. */
async function sendChunk(chunk: readonly Entry[], results: TaskBatchResult[]): Promise<void> {
  const first = chunk[0]!.request
  const { SendMessageBatchCommand } = await loadSqsSdk()
  const messages = await Promise.allSettled(chunk.map((entry) => messageOf(entry.request, entry.request.queue!)))
  const sending: { entry: Entry; message: Awaited<ReturnType<typeof messageOf>> }[] = []
  messages.forEach((outcome, i) => {
    const entry = chunk[i]!
    if (outcome.status === 'fulfilled') sending.push({ entry, message: outcome.value })
    else results[entry.index] = { status: 'failed', index: entry.index, error: invokeFailure(entry.request, outcome.reason) }
  })
  if (sending.length === 0) return
  try {
    const client = await sqsClient(first.region, first.client)
    const QueueUrl = await queueUrl(client, first.queue!.name)
    const response = await client.send(
      new SendMessageBatchCommand({ QueueUrl, Entries: sending.map(({ entry, message }) => ({ Id: String(entry.index), ...message })) }),
    )
    const requestId: string = response.$metadata?.requestId ?? ''
    const attempts: number = response.$metadata?.attempts ?? 1
    const byId = new Map(sending.map(({ entry }) => [String(entry.index), entry]))
    for (const ok of response.Successful ?? []) {
      const entry = byId.get(ok.Id)
      if (!entry) continue
      byId.delete(ok.Id)
      results[entry.index] = { status: 'accepted', index: entry.index, requestId, functionName: entry.request.functionName, attempts, messageId: ok.MessageId }
    }
    for (const failed of response.Failed ?? []) {
      const entry = byId.get(failed.Id)
      if (!entry) continue
      byId.delete(failed.Id)
      results[entry.index] = {
        status: 'failed',
        index: entry.index,
        error: refused(entry, `SQS did not accept the message: ${failed.Code}: ${failed.Message}`),
      }
    }
    for (const entry of byId.values()) {
      results[entry.index] = { status: 'failed', index: entry.index, error: refused(entry, "SQS's answer to SendMessageBatch did not mention the message") }
    }
  } catch (error) {
    for (const { entry } of sending) results[entry.index] = { status: 'failed', index: entry.index, error: invokeFailure(entry.request, error) }
  }
}

/** A message delayed beyond DelaySeconds: one schedule per entry (Scheduler has no batch create), each result at its index. */
async function scheduleEntry(entry: Entry, results: TaskBatchResult[]): Promise<void> {
  const { index, request } = entry
  try {
    const response = await createDelayedCall(request, request.deliverAt!)
    results[index] = {
      status: 'accepted',
      index,
      requestId: response.requestId,
      functionName: request.functionName,
      attempts: response.attempts,
      schedule: response.schedule!,
      ...(response.duplicate ? { duplicate: true as const } : {}),
    }
  } catch (error) {
    results[index] = { status: 'failed', index, error: invokeFailure(request, error) }
  }
}

/**
 * A queue task's batch: every payload checked as a single call is, then sent ten at a time with
 * SendMessageBatch, `concurrency` requests at once (one at a time for a FIFO queue, so that a
 * group's messages stay in order). One result per payload, in order; a failure never stops the others.
 */
export async function sendQueueBatch(
  target: TaskTarget,
  payloads: readonly unknown[],
  { options, describe }: { options: BatchCallOptions; describe: (error: unknown) => TaskInvokeError },
): Promise<TaskBatchResult[]> {
  const { concurrency = 10 } = options
  const optionsOf = payloadOptions(target, options)
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`batch: concurrency must be a whole number of 1 or more, got ${concurrency}`)
  // A replaced transport (the testing entry) sees one call per payload, as for any task.
  if (!sendsThroughSdk())
    return invokeBatch(payloads, { invoke: async (payload, index) => invokeTask(target, payload, optionsOf(payload, index)), describe, concurrency })
  const results: TaskBatchResult[] = new Array(payloads.length)
  const entries: Entry[] = []
  payloads.forEach((payload, index) => {
    try {
      if (options.deduplicationId !== undefined)
        throw new TaskInvokeError(
          `Task ${taskLabel(target.stack, target.task)}: a batch's messages deduplicate by their content; deduplicationId is for a single call; nothing was sent`,
          { code: 'INVALID_OPTIONS', stack: target.stack, task: target.task, functionName: '', attempts: 0 },
        )
      entries.push({ index, request: prepareInvoke(target, payload, optionsOf(payload, index)) })
    } catch (error) {
      results[index] = { status: 'failed', index, error: describe(error) }
    }
  })
  // A delay beyond SQS's DelaySeconds (a task with "delay" only, never FIFO) is a schedule per message, not a SendMessageBatch entry.
  const chunks: (Entry[] | Entry)[] = [...chunksOf(entries.filter((e) => !e.request.deliverAt)), ...entries.filter((e) => e.request.deliverAt)]
  const parallel = entries[0]?.request.queue?.fifo ? 1 : concurrency
  let next = 0
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!
      await (Array.isArray(chunk) ? sendChunk(chunk, results) : scheduleEntry(chunk, results))
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, chunks.length) }, worker))
  return results
}
