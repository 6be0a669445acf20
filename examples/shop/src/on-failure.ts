import type { TaskFailure } from 'task-gen/handler'

/**
 * Receives the failure record of every task whose attempts are used up, decoded. If it throws,
 * the record is delivered again, and after 5 receives it moves to the dead-letter queue.
 */
export default async function onFailure(failure: TaskFailure): Promise<void> {
  console.error(
    JSON.stringify({
      msg: 'task failed',
      task: `${failure.stack}.${failure.task}`,
      condition: failure.condition,
      attempts: failure.attempts,
      error: failure.error.message,
    }),
  )
}
