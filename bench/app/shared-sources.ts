/**
 * The app-wide files of a synthetic app: shared types every stack imports, and two small
 * libraries the handlers call (so that bundling has real code to follow).
 */

export const COMMON_TYPES = `/** An ISO 4217 currency code. */
export type Currency = 'EUR' | 'USD' | 'GBP' | 'JPY'

/** An amount in the smallest unit of its currency. */
export interface Money {
  amount: number
  currency: Currency
}

export interface Address {
  line1: string
  line2?: string
  city: string
  postcode: string
  /** ISO 3166-1 alpha-2. */
  country: string
}

/** Who changed a record, and when (ISO 8601). */
export interface Audit {
  createdAt: string
  createdBy: string
  updatedAt?: string
}

export interface ErrorInfo {
  code: string
  message: string
  retryable: boolean
}

/** One page of a listing. */
export interface Paged<T> {
  items: T[]
  cursor: string | null
  total: number
}

/** The outcome of an upstream call. */
export type Result<T, E = ErrorInfo> = { ok: true; value: T } | { ok: false; error: E }

/** An event as it arrives from another service. */
export interface Envelope<T, Source extends string = string> {
  id: string
  occurredAt: string
  source: Source
  data: T
  meta?: Record<string, string>
}

/** The part of the Lambda context object the handlers use. */
export interface LambdaContext {
  awsRequestId: string
  functionName: string
  getRemainingTimeInMillis(): number
}
`

export const WITH_LOGGING = `/** Wraps a handler with a log line per call; the wrapped function keeps the payload type. */
export function withLogging<P>(name: string, fn: (payload: P) => Promise<void>): (payload: P) => Promise<void> {
  return async (payload) => {
    const started = Date.now()
    try {
      await fn(payload)
    } finally {
      console.log(JSON.stringify({ msg: 'task done', name, ms: Date.now() - started }))
    }
  }
}
`

export const LOG = `/** A structured log line. */
export function log(msg: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ msg, ...fields, at: new Date().toISOString() }))
}

/** Sums amounts of one currency; refuses to mix currencies. */
export function sumMoney(amounts: readonly { amount: number; currency: string }[]): number {
  const currencies = new Set(amounts.map((a) => a.currency))
  if (currencies.size > 1) throw new Error('cannot sum mixed currencies: ' + [...currencies].join(', '))
  return amounts.reduce((total, a) => total + a.amount, 0)
}
`

export const ON_FAILURE = `/** The failure record fields this app's on-failure handler reads. */
export interface FailureNotice {
  stack: string
  task: string
  condition: string
  attempts: number
  error: { type: string; message: string }
}

export default async function onFailure(failure: FailureNotice): Promise<void> {
  console.error(JSON.stringify({ msg: 'task failed', task: failure.stack + '.' + failure.task, condition: failure.condition }))
}
`

/** A stack's domain types: an enum, an entity built from the shared types, and a generic filter. */
export function domainTypes(typeName: string): string {
  return `import type { Address, Audit, Money } from './common.js'

export enum ${typeName}Status {
  Draft = 'draft',
  Active = 'active',
  Archived = 'archived',
}

/** A ${typeName} record. */
export interface ${typeName}Entity extends Audit {
  id: string
  status: ${typeName}Status
  total: Money
  tags: string[]
  shipTo?: Address
  lines: { sku: string; quantity: number; price: Money }[]
}

export interface ${typeName}Filter<K extends keyof ${typeName}Entity = keyof ${typeName}Entity> {
  fields: K[]
  status?: ${typeName}Status[]
  updatedSince?: string
}
`
}
