import type { InvokeCommandOutput } from '@aws-sdk/client-lambda'
import { lambdaClient, loadSdk, type LambdaClientLike } from './lambda-client.js'

/** One event, ready to send: every guard has passed. */
export interface InvokeRequest {
  stack: string
  task: string
  stage: string
  functionName: string
  region: string
  payload: unknown
  body: Uint8Array | undefined
  client: LambdaClientLike | undefined
}

export interface InvokeResponse {
  statusCode: number | undefined
  requestId: string
  attempts: number
}

export type Transport = (request: InvokeRequest) => Promise<InvokeResponse>

/** Sends through the AWS SDK: an `Invoke` with `InvocationType: 'Event'`. */
const sdkTransport: Transport = async (request) => {
  const { InvokeCommand } = await loadSdk()
  const client = await lambdaClient(request.region, request.client)
  const response: InvokeCommandOutput = await client.send(new InvokeCommand({ FunctionName: request.functionName, InvocationType: 'Event', Payload: request.body }))
  return { statusCode: response.StatusCode, requestId: response.$metadata.requestId ?? '', attempts: response.$metadata.attempts ?? 1 }
}

let current: Transport = sdkTransport

export function transport(): Transport {
  return current
}

/** Replaces how events are sent (the testing entry does); returns a function that puts the previous back. */
export function setTransport(next: Transport | undefined): () => void {
  const previous = current
  current = next ?? sdkTransport
  return () => {
    current = previous
  }
}
