import { parentPort } from 'node:worker_threads'
import type { FailureRecord } from '../handler/failure-record.js'
import type { WorkerMessage } from './protocol.js'

/** The task wrapper's record sender under `task-gen dev`: the record goes to the dev server, not to SQS. */
export async function postFailureRecord(record: FailureRecord): Promise<void> {
  if (!parentPort) throw new Error('task-gen dev: a failure record was sent outside a dev worker')
  parentPort.postMessage({ kind: 'record', record } satisfies WorkerMessage)
}
