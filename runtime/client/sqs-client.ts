import type { SQSClient } from '@aws-sdk/client-sqs'
import { clientSettings, onConfigure, sdkClientOptions, type SqsClientLike } from './lambda-client.js'

export type SqsSdk = typeof import('@aws-sdk/client-sqs')

let sdk: Promise<SqsSdk> | undefined
let shared: SQSClient | undefined
/** Queue URLs by client and queue name: a caller knows names, SQS takes URLs (which name the account). */
let urls = new WeakMap<SqsClientLike, Map<string, Promise<string>>>()
onConfigure(() => {
  shared = undefined
  urls = new WeakMap()
})

/** SQS's SDK, loaded on the first call of a queue task, not on import: an app without queue tasks never loads it. */
export function loadSqsSdk(): Promise<SqsSdk> {
  sdk ??= import('@aws-sdk/client-sqs')
  return sdk
}

/** The client a queue task's call sends with: its own, else the configured one, else the shared one (the settings of `configure`). */
export async function sqsClient(region: string, own: SqsClientLike | undefined): Promise<SqsClientLike> {
  if (own) return own
  const configured = clientSettings().settings.sqsClient
  if (configured) return configured
  if (!shared) {
    const { SQSClient } = await loadSqsSdk()
    shared ??= new SQSClient(sdkClientOptions(region))
  }
  return shared
}

/** The queue's URL, asked of SQS once per client and queue (GetQueueUrl, which the stacks' invoke_policy allows); a failed look-up is asked again next time. */
export function queueUrl(client: SqsClientLike, queueName: string): Promise<string> {
  const byName = urls.get(client) ?? new Map<string, Promise<string>>()
  urls.set(client, byName)
  let url = byName.get(queueName)
  if (!url) {
    url = (async () => {
      const { GetQueueUrlCommand } = await loadSqsSdk()
      const response = await client.send(new GetQueueUrlCommand({ QueueName: queueName }))
      if (typeof response.QueueUrl !== 'string') throw new Error(`GetQueueUrl of ${queueName} gave no QueueUrl`)
      return response.QueueUrl as string
    })()
    url.catch(() => byName.delete(queueName))
    byName.set(queueName, url)
  }
  return url
}
