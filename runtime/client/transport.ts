import type { InvokeCommandOutput } from '@aws-sdk/client-lambda'
import { sealEnvelope } from '../envelope.js'
import type { DeliveryFields } from './event-body.js'
import { newPayloadReference, putPayload, sharedS3Client } from '../payloads.js'
import { lambdaClient, loadSdk, type LambdaClientLike } from './lambda-client.js'
import { createDelayedCall } from './delayed-call.js'
import type { QueueMessageTarget } from './invoke.js'
import { sendToQueue } from './queue-send.js'

/** One event, ready to send: every guard has passed. */
export interface InvokeRequest {
  app: string
  stack: string
  task: string
  stage: string
  functionName: string
  region: string
  payload: unknown
  body: Uint8Array | undefined
  /** The body is over the app's `payloads.offloadAbove`: it is stored in S3 and the event is an envelope that references it. */
  offload: boolean
  /** What the call's envelope carries besides the payload (delay, idempotency key, …). */
  delivery: DeliveryFields
  client: LambdaClientLike | undefined
  /** A delayed call: sent as a one-time schedule that invokes the function (a queue task's: sends its message) at this time. */
  deliverAt?: Date
  /** The delayed call's schedule name; else a random one. */
  scheduleName?: string
  /** A queue task's call: sent as a message on its queue instead. */
  queue?: QueueMessageTarget
}

export interface InvokeResponse {
  statusCode: number | undefined
  requestId: string
  attempts: number
  /** A delayed call's schedule, created. */
  schedule?: { arn: string; at: Date }
  /** The delayed call's schedule existed already: an earlier call with its idempotency key made it. */
  duplicate?: true
  /** A queue task's call: SQS's id of the message it accepted. */
  messageId?: string
}

export type Transport = (request: InvokeRequest) => Promise<InvokeResponse>

/** The event's body: the payload itself, or for an offloaded one an envelope referencing it, once S3 has stored it. */
export async function eventBody(request: InvokeRequest): Promise<Uint8Array | undefined> {
  if (!request.offload || !request.body) return request.body
  const payloadRef = newPayloadReference(request, request.body)
  try {
    await putPayload(await sharedS3Client(request.region), payloadRef, request.body)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`storing the ${request.body.byteLength}-byte payload at s3://${payloadRef.bucket}/${payloadRef.key} failed: ${message}`, { cause: error })
  }
  return new TextEncoder().encode(JSON.stringify(sealEnvelope({ ...request.delivery, payloadRef })))
}

/** Sends through the AWS SDK: an `Invoke` with `InvocationType: 'Event'`. */
const sdkTransport: Transport = async (request) => {
  // A delayed call beyond what SQS can hold back goes through Scheduler too, its target the task's queue.
  if (request.deliverAt) return createDelayedCall(request, request.deliverAt)
  if (request.queue) return sendToQueue(request, request.queue)
  const { InvokeCommand } = await loadSdk()
  const body = await eventBody(request)
  const client = await lambdaClient(request.region, request.client)
  const response: InvokeCommandOutput = await client.send(new InvokeCommand({ FunctionName: request.functionName, InvocationType: 'Event', Payload: body }))
  return { statusCode: response.StatusCode, requestId: response.$metadata.requestId ?? '', attempts: response.$metadata.attempts ?? 1 }
}

let current: Transport = sdkTransport

export function transport(): Transport {
  return current
}

/** True unless the testing entry (or another) replaced how events are sent: batches then go one by one through the replacement. */
export function sendsThroughSdk(): boolean {
  return current === sdkTransport
}

/** Replaces how events are sent (the testing entry does); returns a function that puts the previous back. */
export function setTransport(next: Transport | undefined): () => void {
  const previous = current
  current = next ?? sdkTransport
  return () => {
    current = previous
  }
}
