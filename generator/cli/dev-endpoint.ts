import type { LambdaClient } from '@aws-sdk/client-lambda'
import type { SQSClient } from '@aws-sdk/client-sqs'
import { relative } from 'node:path'
import { PAYLOAD_ENDPOINT_VARIABLE } from '../../runtime/payloads.js'
import { findRunningDev } from '../dev/state.js'
import type { Model } from '../model/model.js'
import { UsageError } from './commands.js'

/** The endpoint of the running `task-gen dev` of this project and stage, for `--local`; a usage error naming why there is none. `use`: what the flag does, e.g. "--local replays through". */
export function runningDevEndpoint(model: Model, use: string): string {
  const found = findRunningDev(model.rootDir, model.stage)
  const notRunning = (why: string) =>
    new UsageError(
      `${use} \`task-gen dev\`, and it is not running for ${relative(process.cwd(), model.configFile)}, stage "${model.stage}" (${why}); start it first`,
    )
  if (!found.running) throw notRunning(found.endedPid === undefined ? `no ${relative(process.cwd(), found.file)}` : `its process ${found.endedPid} has ended`)
  const { endpoint, pid } = found.info
  if (endpoint === undefined) throw new UsageError(`${use} \`task-gen dev\`, which is still starting (pid ${pid}); try again once it serves`)
  return endpoint
}

/** The dev server takes any signature; a fixed pair means no AWS credentials are needed locally. */
export const DEV_CREDENTIALS = { accessKeyId: 'task-gen-dev', secretAccessKey: 'task-gen-dev' }

/** A Lambda client of the running `task-gen dev` (see runningDevEndpoint), with dev's credentials and no retries: dev answers at once or not at all. */
export async function devLambdaClient(model: Model, use: string): Promise<LambdaClient> {
  const endpoint = runningDevEndpoint(model, use)
  const { LambdaClient } = await import('@aws-sdk/client-lambda') // loaded only for --local
  return new LambdaClient({ endpoint, region: model.region, credentials: DEV_CREDENTIALS, maxAttempts: 1 })
}

/** An SQS client of the running `task-gen dev`, which serves the task queues on the same port. */
export async function devSqsClient(model: Model, use: string): Promise<SQSClient> {
  const endpoint = runningDevEndpoint(model, use)
  const { SQSClient } = await import('@aws-sdk/client-sqs') // loaded only for --local
  return new SQSClient({ endpoint, region: model.region, credentials: DEV_CREDENTIALS, maxAttempts: 1 })
}

/**
 * Sends this process's reads and writes of offloaded payloads to the running dev's payload bucket,
 * where the client stored them: a local replay reads each there and stores it there anew, as the
 * worker that runs it reads from dev.
 */
export function payloadsThroughDev(model: Model, use: string): void {
  process.env[PAYLOAD_ENDPOINT_VARIABLE] = runningDevEndpoint(model, use)
}
