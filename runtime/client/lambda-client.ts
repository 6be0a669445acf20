import type { LambdaClient } from '@aws-sdk/client-lambda'

/**
 * A `LambdaClient` of `@aws-sdk/client-lambda`, typed structurally: the client only calls `send`,
 * and the generated package's types then need no SDK types.
 */
export interface LambdaClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: an SDK client typed structurally takes any of its commands
  send(command: any, options?: any): Promise<any>
}

/** An `SNSClient` of `@aws-sdk/client-sns`, typed structurally as the Lambda client is. */
export interface SnsClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: an SDK client typed structurally takes any of its commands
  send(command: any, options?: any): Promise<any>
}

/** An `SQSClient` of `@aws-sdk/client-sqs`, typed structurally as the Lambda client is. */
export interface SqsClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: an SDK client typed structurally takes any of its commands
  send(command: any, options?: any): Promise<any>
}

export interface ClientSettings {
  /** The Lambda client every call uses unless it passes its own. @default one per process, made on the first call */
  client?: LambdaClientLike
  /** Attempts per call, counting the first, for throttling, 5xx and network errors (SDK standard retry mode). @default 3 */
  maxAttempts?: number
  /** Give up on a request that has not answered after this long, in milliseconds (then it is retried). @default 10000 */
  requestTimeoutMs?: number
  /** The SNS client every `Topic.<topic>.publish` uses unless it passes its own. @default one per process, made on the first publish */
  snsClient?: SnsClientLike
  /** The SQS client every call of a queue task uses unless it passes its own. @default one per process, made on the first such call */
  sqsClient?: SqsClientLike
  /** The AWS account of the topics (their ARNs name it). @default AWS_ACCOUNT_ID, else the account the credentials name */
  accountId?: string
}

const settings: ClientSettings = {}
let shared: LambdaClient | undefined
let generation = 0

/** The settings every call uses, and a number that changes with each configure() (clients made for other services follow it). */
export function clientSettings(): { settings: Readonly<ClientSettings>; generation: number } {
  return { settings, generation }
}
const listeners: (() => void)[] = []

/** Sets the client settings of every later call; a new setting replaces the shared clients. */
export function configure(next: ClientSettings): void {
  Object.assign(settings, next)
  shared = undefined
  generation++
  for (const listener of listeners) listener()
}

/** Runs `listener` on every `configure`: a module that keeps its own shared SDK client drops it then. */
export function onConfigure(listener: () => void): void {
  listeners.push(listener)
}

/** The SDK client options every shared client is made with: standard retries, the configured attempts and timeouts. */
export function sdkClientOptions(region: string) {
  return {
    region: process.env.AWS_REGION ?? region,
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: { requestTimeout: settings.requestTimeoutMs ?? 10_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
  }
}

export type LambdaSdk = typeof import('@aws-sdk/client-lambda')

let sdk: Promise<LambdaSdk> | undefined

/** The AWS SDK, loaded on the first call, not on import: importing the client package stays cheap. */
export function loadSdk(): Promise<LambdaSdk> {
  sdk ??= import('@aws-sdk/client-lambda')
  return sdk
}

/** The client a call sends with: its own, else the configured one, else the shared one (keep-alive, standard retries). */
export async function lambdaClient(region: string, own: LambdaClientLike | undefined): Promise<LambdaClientLike> {
  if (own) return own
  if (settings.client) return settings.client
  if (!shared) {
    const { LambdaClient } = await loadSdk()
    shared ??= new LambdaClient(sdkClientOptions(region))
  }
  return shared
}
