import {
  S3Bucket,
  S3BucketLifecycleConfiguration,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  TerraformOutput,
  type TerraformStack,
} from './cdktf.js'
import { payloadKeyPrefix, topicPayloadKeyPrefix } from '../../runtime/payloads.js'
import type { Model, PayloadsModel, TaskModel } from '../model/model.js'
import type { PolicyStatement } from './policy.js'

/**
 * An offloaded payload outlives every failure record that references it: a failure queue keeps a
 * record 14 days, so an object is kept a day longer.
 */
export const PAYLOAD_RETENTION_DAYS = 15

/** The app's own key prefix in the bucket: `<app>/<stage>/`. */
function appPrefix(model: Model): string {
  return `${model.app}/${model.stage}/`
}

/**
 * The app-wide bucket of offloaded payloads (with `payloads` in the config): encrypted, public
 * access blocked, objects under the app's prefix expiring after PAYLOAD_RETENTION_DAYS, and
 * uploads that never completed cleaned up after a day. Its objects are transient, so destroying
 * the stage empties and removes it.
 */
export function addPayloadsStack(stack: TerraformStack, model: Model, payloads: PayloadsModel): void {
  const bucket = new S3Bucket(stack, 'payloads', { bucket: payloads.bucket, forceDestroy: true })
  new S3BucketServerSideEncryptionConfigurationA(stack, 'payloads_encryption', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  })
  new S3BucketPublicAccessBlock(stack, 'payloads_public_access', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  })
  new S3BucketLifecycleConfiguration(stack, 'payloads_lifecycle', {
    bucket: bucket.id,
    rule: [
      {
        id: 'expire-payloads',
        status: 'Enabled',
        filter: [{ prefix: appPrefix(model) }],
        expiration: [{ days: PAYLOAD_RETENTION_DAYS }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
      },
    ],
  })
  new TerraformOutput(stack, 'payload_bucket_name', { value: bucket.bucket })
  new TerraformOutput(stack, 'payload_bucket_arn', { value: bucket.arn })
}

/** A task's objects: its own prefix, by the name the bucket will have (the bucket is in another stack). */
function taskObjects(model: Model, payloads: PayloadsModel, task: TaskModel): string {
  return `arn:aws:s3:::${payloads.bucket}/${payloadKeyPrefix({ app: model.app, stage: model.stage, stack: task.stack, task: task.name })}*`
}

/** What a task's role may do with the bucket: read the payloads sent to it, nothing more. */
export function readPayloadsStatement(model: Model, task: TaskModel): PolicyStatement[] {
  if (!model.payloads) return []
  const own = taskObjects(model, model.payloads, task)
  // A subscriber also reads what is published to its topics, stored under each topic's prefix.
  const topics = task.subscribe.map((topic) => topicObjects(model, model.payloads!, topic))
  return [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: topics.length === 0 ? own : [own, ...topics] }]
}

/** What publishers may do with the bucket: store payloads for exactly the app's topics. */
export function storeTopicPayloadsStatement(model: Model): PolicyStatement[] {
  if (!model.payloads || model.topics.length === 0) return []
  const payloads = model.payloads
  return [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: model.topics.map((topic) => topicObjects(model, payloads, topic.name)) }]
}

/** A topic's objects: every subscriber reads them. */
function topicObjects(model: Model, payloads: PayloadsModel, topic: string): string {
  return `arn:aws:s3:::${payloads.bucket}/${topicPayloadKeyPrefix({ app: model.app, stage: model.stage, topic })}*`
}

/** What callers of a stack's tasks may do with the bucket: store payloads for exactly those tasks. */
export function storePayloadsStatement(model: Model, tasks: readonly TaskModel[]): PolicyStatement[] {
  if (!model.payloads || tasks.length === 0) return []
  const payloads = model.payloads
  return [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: tasks.map((task) => taskObjects(model, payloads, task)) }]
}

/** The on-failure handler reads the payload of any task's record: every object of the app and stage. */
export function readAppPayloadsStatement(model: Model): PolicyStatement[] {
  return model.payloads ? [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${model.payloads.bucket}/${appPrefix(model)}*` }] : []
}
