import { z } from 'zod'
import { describeType } from '../errors/describe-value.js'
import { choice, duration, integerFrom, logRetention, matching, nonNegativeInteger, oneOf, size, strictObject } from './fields.js'
import { queue } from './queue.js'
import { schedule } from './schedule.js'
import { subscribe, topics } from './topics.js'
import { PAYLOAD_DEFAULTS } from '../../runtime/payloads.js'

/**
 * The schema of task-gen.json. Fields with defaults stay optional here: defaults are merged once,
 * when the model is built (generator/model), so that every later stage reads resolved values.
 */

/** A version as npm writes one (semver 2.0): `1.2.0`, `1.2.0-beta.1`, `1.2.0+build.5`. */
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/

/** Names that would clash with how the client object is used (a stack named `then` would make `Task` look like a Promise). */
export const RESERVED_PROPERTY_NAMES = ['then', 'constructor', 'prototype', 'toString', 'toJSON', 'valueOf', 'hasOwnProperty'] as const

/** Variables Lambda sets itself; a function may not set them. */
export const RESERVED_ENVIRONMENT_NAMES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TASK_GEN_FAILURE_QUEUE_URL',
] as const

const lowerKebab = (what: string) =>
  matching(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `${what} must be lowercase letters and digits, words joined by single hyphens, starting with a letter`)

export const appName = lowerKebab('the app name').describe('The app name: the first part of every AWS resource name. @example "shop"')
export const stageName = lowerKebab('the stage name')

function propertyName(what: string) {
  return matching(/^[A-Za-z][A-Za-z0-9_]*$/, `${what} must start with a letter and contain only letters, digits and underscores`).refine(
    (name) => !(RESERVED_PROPERTY_NAMES as readonly string[]).includes(name),
    { error: (issue) => `${what} "${issue.input}" is reserved in JavaScript; choose another name` },
  )
}

const region = matching(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'must be an AWS region such as "us-east-1"').describe(
  'The AWS region the stacks deploy to, and the client\'s region when AWS_REGION is not set. @example "us-east-1"',
)

const filePath = z.string().min(1, { error: 'must be a file path, not empty' })

const environmentName = matching(
  /^[A-Za-z][A-Za-z0-9_]*$/,
  'an environment variable name must start with a letter and contain only letters, digits and underscores',
).refine((name) => !(RESERVED_ENVIRONMENT_NAMES as readonly string[]).includes(name), {
  error: (issue) => `${issue.input} is set by Lambda itself and cannot be set here`,
})

/**
 * Environment values are often secrets and `check` runs in CI logs: no message here shows a value,
 * only its type (zod's own messages would, so each check below has one of its own).
 */
const environment = z
  .record(environmentName, z.string({ error: (issue) => `an environment value must be a string in quotes, got ${describeType(issue.input)}` }), {
    error: (issue) =>
      issue.code === 'invalid_type' ? `must be an object of environment variables { "NAME": "value" }, got ${describeType(issue.input)}` : undefined,
  })
  .describe('Environment variables of the function. Merged key by key over defaults.function.environment. @example { "PAYMENT_API_KEY": "..." }')

const permissionStatement = strictObject({
  effect: choice(['Allow', 'Deny']).optional().describe('@default "Allow"'),
  actions: z
    .array(
      matching(
        /^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/,
        'must be an IAM action like "s3:GetObject" (a service prefix, a colon and an action; "*" alone is not allowed)',
      ),
    )
    .min(1, { error: 'needs at least one action' }),
  resources: z.array(z.string().min(1, { error: 'must not be empty' })).min(1, { error: 'needs at least one resource ARN' }),
}).describe('An IAM statement added to the function\'s role. @example { "actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::my-bucket/*"] }')

const vpc = strictObject({
  subnetIds: z.array(matching(/^subnet-[0-9a-f]+$/, 'must be a subnet id like "subnet-0abc123"')).min(1, { error: 'needs at least one subnet' }),
  securityGroupIds: z.array(matching(/^sg-[0-9a-f]+$/, 'must be a security group id like "sg-0abc123"')).min(1, { error: 'needs at least one security group' }),
}).describe('Runs the function inside these VPC subnets with these security groups.')

const layerArn = matching(
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+$/,
  'must be a Lambda layer version ARN like "arn:aws:lambda:us-east-1:123456789012:layer:my-layer:3"',
)

const bundleOptions = {
  minify: z.boolean().optional().describe('Minify the bundle. @default true'),
  external: z
    .array(z.string().min(1))
    .optional()
    .describe('Modules left out of the bundle (they must be in the runtime or a layer). "@aws-sdk/*" is always external. @example ["sharp"]'),
  sourcemap: z.boolean().optional().describe('Ship a source map with the bundle and enable it in Node. @default false'),
}

const code = oneOf(
  [filePath, strictObject({ file: filePath.describe('The handler file, relative to task-gen.json.'), ...bundleOptions })],
  'a handler file path or { "file": … }',
)

/** The options of the Function feature, shared by tasks, defaults.function and onFailure. */
const functionSettings = {
  handler: matching(/^[A-Za-z_$][\w$]*$/, 'must be the name of an exported function')
    .optional()
    .describe('The export to call. @default the default export, else the export named "handler"'),
  runtime: choice(['nodejs20.x', 'nodejs22.x'], ' (the AWS provider this tool pins, 5.100.0, has no nodejs24.x)')
    .optional()
    .describe('@default "nodejs22.x". "nodejs20.x" is deprecated since 2026-04-30: taken, with a warning'),
  architecture: choice(['arm64', 'x86_64']).optional().describe('@default "arm64"'),
  memorySize: size({
    unit: 'MB',
    min: 128,
    max: 10240,
    description: 'Memory of the function, from "128 MB" to "10 GB". @default "256 MB"',
    example: '512 MB',
  }).optional(),
  timeout: duration({
    min: 1,
    max: 900,
    description: 'How long one attempt may run, from "1 second" to "15 minutes". @default "30 seconds"',
    example: '2 minutes',
  }).optional(),
  ephemeralStorageSize: size({
    unit: 'MB',
    min: 512,
    max: 10240,
    description: 'Size of /tmp, from "512 MB" to "10 GB". @default "512 MB"',
    example: '1 GB',
  }).optional(),
  environment: environment.optional(),
  logRetention: logRetention().optional(),
  reservedConcurrency: nonNegativeInteger()
    .optional()
    .describe('Concurrent executions reserved for (and capping) this function. 0 sends every event straight to the failure queue. @default unreserved'),
  permissions: z.array(permissionStatement).optional().describe("Extra IAM statements for the function's role. Appended to defaults.function.permissions."),
  vpc: vpc.optional(),
  layers: z.array(layerArn).max(5, { error: 'Lambda allows at most 5 layers' }).optional().describe('Lambda layer version ARNs, at most 5.'),
  description: z.string().max(256, { error: 'must be at most 256 characters' }).optional().describe('Description of the Lambda function.'),
}

const functionObject = strictObject({ code, ...functionSettings })

/** A Lambda function: a handler file path, or the Function feature's options with `code`. */
const consumer = oneOf([filePath, functionObject], 'a handler file path or a function object with "code"')

/** The on-failure handler: a function like any other, plus how often a record it rejects is tried. */
const onFailureConsumer = oneOf(
  [
    filePath,
    strictObject({
      code,
      ...functionSettings,
      maxReceives: integerFrom(1, 1000)
        .optional()
        .describe(
          'How many times a failure record is handed to the handler before it moves to the dead-letter queue <app>-<stage>-on-failure-dlq, 1 to 1000. @default 5',
        ),
    }),
  ],
  'a handler file path or a function object with "code"',
)

const retryAttempts = integerFrom(0, 2).describe('How often Lambda retries a failed attempt, 0 to 2. @default 2')
const maxEventAge = duration({
  min: 60,
  max: 21600,
  description: 'How long Lambda keeps an event it could not run yet, from "1 minute" to "6 hours". @default "6 hours"',
  example: '1 hour',
})

const idempotency = strictObject({
  window: duration({
    min: 60,
    max: 365 * 86400,
    description:
      'How long a key is remembered: a second call with the same key within it does not run the handler again, from "1 minute" to "365 days". @default "24 hours"',
    example: '24 hours',
  }).optional(),
}).describe(
  'Lets calls carry { idempotencyKey }: the handler runs to completion at most once per key within the window. Adds a DynamoDB table <function>-idempotency (on demand, TTL, encrypted) that the task\'s wrapper writes each key to before running. @example { "window": "24 hours" }',
)

const taskObject = strictObject({
  consumer: consumer.describe('The Lambda function that runs the task.'),
  retryAttempts: retryAttempts.optional(),
  maxEventAge: maxEventAge.optional(),
  schedule: schedule.optional(),
  queue: queue.optional(),
  subscribe: subscribe.optional(),
  delay: z
    .boolean()
    .optional()
    .describe(
      "Lets calls run later: Task.<stack>.<task>(payload, { delay: \"10 minutes\" }) or { at: date }, at most a year ahead, each through a one-time EventBridge Scheduler schedule. Adds the stack's schedule group and the task's schedule role. A queue task's call is delayed up to 15 minutes by SQS's DelaySeconds without it; with it a longer delay is a schedule that sends the message to the task's queue (not for FIFO queues). @default false",
    ),
  idempotency: idempotency.optional(),
})

const task = oneOf([filePath, taskObject], 'a handler file path or { "consumer": … }').describe(
  'A task: a handler file path, or { consumer, retryAttempts, maxEventAge, schedule, queue, subscribe, delay, idempotency }. @example "./src/process-order.ts"',
)

const stack = strictObject({
  tasks: z
    .record(propertyName('a task name'), task)
    .refine((tasks) => Object.keys(tasks).length > 0, { error: 'a stack needs at least one task' })
    .describe('The tasks of this stack, by name. The name is the property on the client: Task.<stack>.<task>.'),
})

const defaults = strictObject({
  function: strictObject({ code: strictObject(bundleOptions).optional(), ...functionSettings })
    .optional()
    .describe("Function options applied to every task and to onFailure; a task's own options win."),
  retryAttempts: retryAttempts.optional(),
  maxEventAge: maxEventAge.optional(),
})

const client = strictObject({
  name: matching(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'must be an npm package name such as "@shop/tasks"')
    .optional()
    .describe('The npm name of the generated client package. @default "<app>-tasks"'),
  outDir: filePath.optional().describe('Where `task-gen generate` writes the client, relative to task-gen.json. @default ".task-gen/client"'),
  version: matching(SEMVER, 'must be a version npm takes, such as "1.2.0"')
    .optional()
    .describe('The version of the client package, for publishing it. @default the "version" of the package.json beside task-gen.json, else "0.0.0"'),
})

const backend = strictObject({
  s3: strictObject({
    bucket: matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    // A backend block takes no Terraform expressions (`${…}` fails init) and S3 keys travel in URLs: only S3's safe characters.
    keyPrefix: matching(
      /^(?!\/)[A-Za-z0-9!_.*'()/-]{0,900}$/,
      'must be an S3 key prefix of S3\'s safe characters (letters, digits, and !-_.*\'()/), not starting with "/"',
    )
      .optional()
      .describe('Prefix of the state keys: <keyPrefix><app>/<stage>/<stack>.tfstate. @default "task-gen/"'),
    region: region.optional().describe("Region of the bucket. @default the config's region"),
    lockTable: matching(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3–255 letters, digits, and _.-)')
      .optional()
      .describe('DynamoDB table for state locking. @default no locking'),
  }).describe('Keep Terraform state in S3.'),
}).describe('Where Terraform keeps the state of each stack. @default local files under .task-gen/state/<stage>/')

/** Lambda's limit for an asynchronous invoke's payload, the largest `offloadAbove` can be (AWS-FACTS.md). */
const INVOKE_LIMIT_BYTES = 1_048_576
/** S3's limit for one PutObject: 5 GB. */
const PUT_OBJECT_LIMIT_BYTES = 5 * 1024 ** 3

const payloads = strictObject({
  offloadAbove: size({
    unit: 'B',
    min: 1,
    max: INVOKE_LIMIT_BYTES,
    description:
      'A payload larger than this, serialized, is stored in the app\'s payload bucket and the event carries its reference; at most "1 MB", Lambda\'s limit for an asynchronous invoke. @default "960 KB" (1 MB less the 64 KB a failure record needs around the payload)',
    example: '256 KB',
  }).optional(),
  maxSize: size({
    unit: 'B',
    min: 1,
    max: PUT_OBJECT_LIMIT_BYTES,
    description:
      'The largest payload a call may send, serialized: a larger one is refused before anything is uploaded. At most "5 GB", S3\'s limit for one upload. @default "100 MB"',
    example: '100 MB',
  }).optional(),
})
  .superRefine((value, ctx) => {
    const offloadAbove = value.offloadAbove ?? PAYLOAD_DEFAULTS.offloadAboveBytes
    if (value.maxSize !== undefined && value.maxSize < offloadAbove) {
      ctx.addIssue({ code: 'custom', path: ['maxSize'], message: `must be at least offloadAbove (${offloadAbove} bytes), got ${value.maxSize} bytes` })
    }
  })
  .describe(
    'Payloads larger than Lambda takes inline: stored in an app-wide S3 bucket <app>-<stage>-payloads and passed by reference. Without this key a payload over 1 MB is refused. @example { "offloadAbove": "256 KB", "maxSize": "100 MB" }',
  )

export const configSchema = strictObject({
  $schema: z.string().optional().describe('The JSON Schema of this file, for editors.'),
  app: appName,
  region,
  defaults: defaults.optional(),
  onFailure: onFailureConsumer.optional().describe('The global on-failure handler: receives the failure record of every task whose attempts are all used up.'),
  client: client.optional(),
  backend: backend.optional(),
  topics: topics(propertyName('a topic name')).optional(),
  payloads: payloads.optional(),
  stacks: z
    .record(propertyName('a stack name'), stack)
    .refine((stacks) => Object.keys(stacks).length > 0, { error: 'needs at least one stack' })
    .describe('The stacks, by name. Each deploys as its own Terraform stack and is a property of the client: Task.<stack>.'),
})

/** task-gen.json as written. */
export type ConfigInput = z.input<typeof configSchema>
/** task-gen.json after validation: sizes in MB, durations in seconds, log retention in days. */
export type Config = z.output<typeof configSchema>
export type FunctionObject = z.output<typeof functionObject>
export type FunctionDefaults = NonNullable<NonNullable<Config['defaults']>['function']>
export type TaskConfig = z.output<typeof task>
export type PermissionStatement = z.output<typeof permissionStatement>
