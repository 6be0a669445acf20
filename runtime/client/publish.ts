import { topicArn, topicResourceName } from '../topic-names.js'
import { validate } from '../validate.js'
import { TopicPublishError, type TopicPublishErrorDetails } from './errors.js'
import { sealEnvelope } from '../envelope.js'
import { newPayloadReference, putPayload, sharedS3Client } from '../payloads.js'
import { eventOf } from './event-body.js'
import { serialize } from './invoke.js'
import type { SnsClientLike } from './lambda-client.js'
import type { ClientManifest, TaskManifest } from './manifest.js'
import { loadSnsSdk, snsClient, topicAccount } from './sns-client.js'

/**
 * SNS's limit for a published message, body and attributes together: 256 KiB, the default of a
 * topic's `MaximumMessageSize`, which task-gen's topics keep (docs/lambda-facts.md, README).
 */
export const MAX_TOPIC_MESSAGE_BYTES = 262_144

/** What SNS delivers for a publish without a payload: SNS refuses an empty message, and the task wrapper reads `{}` as none, as Lambda's own empty event. */
const NO_PAYLOAD = '{}'

export interface TopicPublishOptions {
  /** The stage to publish to. @default TASK_GEN_STAGE, else the stage the client was generated for */
  stage?: string
  /** Check the payload against the topic's type before sending. @default true */
  validate?: boolean
  /** The SNS client to send with. @default the configured one, else one shared client per process */
  client?: SnsClientLike
}

export interface TopicPublished {
  /** SNS's id of the accepted message. */
  messageId: string
  topicArn: string
  /** Requests it took, counting retries. */
  attempts: number
}

/** A topic's entry, by own properties only, as tasks are looked up. */
function topicManifest(manifest: ClientManifest, topic: string): TaskManifest | undefined {
  return manifest.topics && Object.hasOwn(manifest.topics, topic) ? manifest.topics[topic] : undefined
}

interface PreparedMessage {
  message: string
  resourceName: string
  /** A payload over the app's offload threshold or SNS's limit: stored in S3 first, and the message is an envelope referencing it. */
  stored?: { body: Uint8Array; app: string; stage: string; topic: string; region: string }
}

/** The topic a publish goes to, resolved once (the client makes one per topic) and shared by each of its publishes. */
export interface TopicTarget {
  manifest: ClientManifest
  topic: string
}

/** Validation and size: checked before anything is sent. Throws the TopicPublishError the publish would. */
export function preparePublish(target: TopicTarget, payload: unknown, options: TopicPublishOptions): PreparedMessage {
  const { manifest, topic } = target
  const stage = options.stage ?? process.env.TASK_GEN_STAGE ?? manifest.stage
  const context = { topic, topicArn: '', attempts: 0 }
  const spec = topicManifest(manifest, topic)
  if (!spec) throw new TopicPublishError(`Topic ${topic}: this client has no such topic; regenerate it`, { ...context, code: 'TOPIC_NOT_FOUND' })
  if (options.validate !== false) {
    const issues = validate(spec.payload, manifest.defs, payload)
    if (issues.length > 0) {
      const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')
      throw new TopicPublishError(`Topic ${topic}: the payload does not match its type; nothing was sent\n${lines}`, {
        ...context,
        code: 'INVALID_PAYLOAD',
        issues,
      })
    }
  }
  // A payload that would read as an envelope travels inside one, as a task call's does, and arrives unchanged.
  const event = eventOf(payload)
  const body = serialize(event)
  if (body && 'error' in body)
    throw new TopicPublishError(`Topic ${topic}: the payload cannot be written as JSON (${body.error}); nothing was sent`, {
      ...context,
      code: 'INVALID_PAYLOAD',
    })
  const size = body?.byteLength ?? 0
  const payloads = manifest.payloads
  if (payloads && size > payloads.maxSize)
    throw new TopicPublishError(
      `Topic ${topic}: the payload is ${size} bytes serialized; the app's payloads.maxSize is ${payloads.maxSize}; nothing was sent`,
      {
        ...context,
        code: 'PAYLOAD_TOO_LARGE',
      },
    )
  if (!payloads && size > MAX_TOPIC_MESSAGE_BYTES) {
    throw new TopicPublishError(
      `Topic ${topic}: the payload is ${size} bytes serialized; SNS accepts at most ${MAX_TOPIC_MESSAGE_BYTES} for a message (set "payloads" in task-gen.json to store larger ones in S3); nothing was sent`,
      { ...context, code: 'PAYLOAD_TOO_LARGE' },
    )
  }
  // Stored when over the app's threshold, or over what SNS takes: the subscribers read it back.
  const offloaded = payloads !== undefined && size > Math.min(payloads.offloadAbove, MAX_TOPIC_MESSAGE_BYTES)
  const resourceName = topicResourceName(manifest.app, stage, topic)
  if (offloaded) {
    // The object holds the payload itself, never an envelope around it: the wrapper reads it as the payload.
    const stored = (event === payload ? body : serialize(payload)) as Uint8Array
    return { message: '', resourceName, stored: { body: stored, app: manifest.app, stage, topic, region: manifest.region } }
  }
  return { message: body ? new TextDecoder().decode(body) : NO_PAYLOAD, resourceName }
}

function attemptsOf(error: unknown): number {
  return (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1
}

/** Every way a send can fail becomes a TopicPublishError here, and only here. */
function publishFailure(context: Omit<TopicPublishErrorDetails, 'code' | 'attempts'>, error: unknown): TopicPublishError {
  if (error instanceof TopicPublishError) return error
  const details = { ...context, attempts: attemptsOf(error), cause: error }
  const name = (error as { name?: string }).name
  if (name === 'NotFoundException' || name === 'NotFound') {
    return new TopicPublishError(
      `Topic ${context.topic}: no SNS topic ${context.topicArn}; is the app's topics stack deployed to this stage, region and account?`,
      { ...details, code: 'TOPIC_NOT_FOUND' },
    )
  }
  const message = error instanceof Error ? error.message : String(error)
  return new TopicPublishError(
    `Topic ${context.topic}: publishing to ${context.topicArn || 'its topic'} failed after ${details.attempts} attempt(s): ${message}`,
    { ...details, code: 'PUBLISH_FAILED' },
  )
}

/** The topic's ARN: its name as the stacks create it, in the client's region and the account of `topicAccount`. */
async function arnOf({ manifest, topic }: TopicTarget, resourceName: string, client: SnsClientLike): Promise<string> {
  const account = await topicAccount(client)
  if (!account) {
    throw new TopicPublishError(
      `Topic ${topic}: its ARN names the AWS account, and none is known; set AWS_ACCOUNT_ID or call configure({ accountId }); nothing was sent`,
      { topic, topicArn: '', attempts: 0, code: 'ACCOUNT_UNKNOWN' },
    )
  }
  return topicArn(process.env.AWS_REGION ?? manifest.region, account, resourceName)
}

/** An offloaded payload's message: the payload stored under the topic's prefix, and an envelope that references it. */
async function storedMessage(stored: NonNullable<PreparedMessage['stored']>): Promise<string> {
  const payloadRef = newPayloadReference(stored, stored.body)
  try {
    await putPayload(await sharedS3Client(stored.region), payloadRef, stored.body)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`storing the ${stored.body.byteLength}-byte payload at s3://${payloadRef.bucket}/${payloadRef.key} failed: ${message}`, { cause: error })
  }
  return JSON.stringify(sealEnvelope({ payloadRef }))
}

/** Publishes one message; resolves once SNS has accepted it (it has a message id), and rejects with a TopicPublishError otherwise. */
export async function publishToTopic(target: TopicTarget, payload: unknown, options: TopicPublishOptions = {}): Promise<TopicPublished> {
  const prepared = preparePublish(target, payload, options)
  const context = { topic: target.topic, topicArn: '' }
  try {
    const { PublishCommand } = await loadSnsSdk()
    const client = await snsClient(target.manifest.region, options.client)
    context.topicArn = await arnOf(target, prepared.resourceName, client)
    const message = prepared.stored ? await storedMessage(prepared.stored) : prepared.message
    const response = await client.send(new PublishCommand({ TopicArn: context.topicArn, Message: message }))
    return { messageId: response.MessageId ?? '', topicArn: context.topicArn, attempts: response.$metadata?.attempts ?? 1 }
  } catch (error) {
    throw publishFailure(context, error)
  }
}
