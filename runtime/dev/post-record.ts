import type { FailureRecord } from '../handler/failure-record.js'
import type { ClaimOutcome, IdempotencyStore } from '../handler/idempotency.js'
import type { KeyAnswerMessage, KeyRequest, WorkerMessage } from './protocol.js'

/** The task wrapper's record sender under `task-gen dev`: the record goes to the dev server, not to SQS. */
export async function postFailureRecord(record: FailureRecord): Promise<void> {
  if (!process.send) throw new Error('task-gen dev: a failure record was sent outside a dev worker')
  process.send({ kind: 'record', record } satisfies WorkerMessage)
}

const pending = new Map<number, (answer: KeyAnswerMessage) => void>()
let nextId = 0

function askDev(request: KeyRequest): Promise<KeyAnswerMessage> {
  if (!process.send) throw new Error('task-gen dev: an idempotency key was claimed outside a dev worker')
  if (pending.size === 0) process.on('message', answered)
  const id = ++nextId
  return new Promise((resolve) => {
    pending.set(id, resolve)
    process.send!({ kind: 'key', id, request } satisfies WorkerMessage)
  })
}

function answered(message: { kind?: string }): void {
  if (message.kind !== 'key-answer') return
  const answer = message as KeyAnswerMessage
  pending.get(answer.id)?.(answer)
  pending.delete(answer.id)
  // Listening only while a question is open: an idle worker's IPC channel stays as it was.
  if (pending.size === 0) process.off('message', answered)
}

/**
 * The task wrapper's key store under `task-gen dev`: the keys are kept by the dev process, one
 * store per function, which makes each claim atomically as DynamoDB's conditional write does.
 */
export const devKeyStore: IdempotencyStore = {
  async claim(record, now): Promise<ClaimOutcome> {
    const answer = await askDev({ op: 'claim', record, now })
    return answer.outcome ?? 'in-progress'
  },
  async complete(key, owner) {
    await askDev({ op: 'complete', key, owner })
  },
  async release(key, owner) {
    await askDev({ op: 'release', key, owner })
  },
}
