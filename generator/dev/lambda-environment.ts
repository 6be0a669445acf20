import { randomBytes } from 'node:crypto'
import type { LambdaRuntimeId } from '../model/model.js'
import { PAYLOAD_ENDPOINT_VARIABLE } from '../../runtime/payloads.js'

/** What Lambda's defined variables of one function are made of. */
export interface FunctionIdentity {
  functionName: string
  logGroupName: string
  memoryMb: number
  region: string
  runtime: LambdaRuntimeId
  /** Where the function's code is: the folder of its build. */
  taskRoot: string
  /** Where the runtime is: dev's worker. */
  runtimeDir: string
}

/** Lambda's PATH and LANG in the Node.js runtimes: a handler that spawns a program finds what it would there, not the shell's tools. */
const LAMBDA_PATH = '/usr/local/bin:/usr/bin/:/bin:/opt/bin'

/**
 * What the handler would get from its role, taken from the shell (dev cannot assume the role):
 * the credentials, and where AWS calls go when the developer points them at a local service.
 */
const PASSED_THROUGH = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_ENDPOINT_URL(_[A-Z0-9_]+)?)$/

/** Lambda's defined runtime environment variables, as dev can set them (the log stream is each worker's own). */
export function definedVariables(fn: FunctionIdentity): Record<string, string> {
  return {
    _HANDLER: 'index.handler',
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    LAMBDA_TASK_ROOT: fn.taskRoot,
    LAMBDA_RUNTIME_DIR: fn.runtimeDir,
    LANG: 'en_US.UTF-8',
    PATH: LAMBDA_PATH,
    TZ: ':UTC',
  }
}

/** The shell's variables a handler gets: its credentials and endpoint overrides, nothing else. */
export function passedThrough(host: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(host).filter((entry): entry is [string, string] => PASSED_THROUGH.test(entry[0]) && entry[1] !== undefined))
}

/**
 * Dev's own services as a worker reaches them, known once dev listens: where the task wrapper
 * reads offloaded payloads. A variable of task-gen's, not `AWS_ENDPOINT_URL_S3`, so that the
 * handler's own S3 calls keep going where the shell's endpoints send them.
 */
export function devServiceVariables(endpoint: string | undefined): Record<string, string> {
  return endpoint === undefined ? {} : { [PAYLOAD_ENDPOINT_VARIABLE]: endpoint }
}

/** A log stream name as Lambda gives each instance: `2026/12/02/[$LATEST]` and 32 hex digits. */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/')
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`
}
