import type { FailureRecord } from '../handler/failure-record.js'
import type { WorkerMessage } from './protocol.js'

/** The task wrapper's record sender under `task-gen dev`: the record goes to the dev server, not to SQS. */
export async function postFailureRecord(record: FailureRecord): Promise<void> {
  if (!process.send) throw new Error('task-gen dev: a failure record was sent outside a dev worker')
  process.send({ kind: 'record', record } satisfies WorkerMessage)
}
