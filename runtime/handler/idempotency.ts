/**
 * Idempotency keys, the wrapper's side: before the handler runs, the call's key is claimed with
 * one conditional write; a key already completed is a duplicate and the handler does not run, a
 * key in progress elsewhere is retried later, and a run that fails releases its key so that a
 * retry can run. The decision is one pure function (`claimDecision`); each store (DynamoDB when
 * deployed, dev's own state locally) makes the same decision atomically.
 */

/** A key's record, as stored. */
export interface KeyRecord {
  key: string
  status: 'in-progress' | 'completed'
  /** The run that holds it: the request id (the same for Lambda's retries of an event) or the queue message id. */
  owner: string
  /** Epoch milliseconds: a run still in progress past this has outlived its function's timeout, and the key may run again. */
  lockedUntil: number
  /** Epoch seconds: the key's window ends (DynamoDB's TTL attribute deletes the record some time later). */
  expiresAt: number
}

/** What a claim found: the key is this run's now, or another run has it. */
export type ClaimOutcome = 'claimed' | 'completed' | 'in-progress'

/**
 * Whether a run may take a key: a key nobody holds, whose window ended, that this same run holds
 * (Lambda retrying the event it failed), or whose holder outlived its function's timeout.
 */
export function claimDecision(existing: KeyRecord | undefined, claim: { owner: string; now: number }): ClaimOutcome {
  if (!existing || existing.expiresAt * 1000 <= claim.now) return 'claimed'
  if (existing.status === 'completed') return 'completed'
  if (existing.owner === claim.owner || existing.lockedUntil <= claim.now) return 'claimed'
  return 'in-progress'
}

/** Where keys are recorded. Each operation is atomic: two runs claiming one key cannot both get it. */
export interface IdempotencyStore {
  claim(record: KeyRecord, now: number): Promise<ClaimOutcome>
  /** The run finished: the key stays completed until its window ends. Only its owner's claim is completed. */
  complete(key: string, owner: string): Promise<void>
  /** The run failed: the key is free again, for a retry. Only its owner's claim is released. */
  release(key: string, owner: string): Promise<void>
}

/** A task's idempotency settings, in its wrapper's spec. */
export interface IdempotencySpec {
  windowSeconds: number
  /** How long a claim holds before another run may take the key: the function's timeout and a margin. */
  lockSeconds: number
}

/** The record a run writes when it claims a key. */
export function newClaim({ key, owner }: { key: string; owner: string }, spec: IdempotencySpec, now: number): KeyRecord {
  return { key, status: 'in-progress', owner, lockedUntil: now + spec.lockSeconds * 1000, expiresAt: Math.ceil(now / 1000) + spec.windowSeconds }
}

/** Keeps the records in memory: dev's store (one per function, in the dev process) and the unit tests'. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, KeyRecord>()

  async claim(record: KeyRecord, now: number): Promise<ClaimOutcome> {
    return this.claimNow(record, now)
  }

  /** The claim without a promise: dev answers a worker from it in one turn of the event loop, so that it is atomic. */
  claimNow(record: KeyRecord, now: number): ClaimOutcome {
    const outcome = claimDecision(this.records.get(record.key), { owner: record.owner, now })
    if (outcome === 'claimed') this.records.set(record.key, record)
    return outcome
  }

  async complete(key: string, owner: string): Promise<void> {
    this.completeNow(key, owner)
  }

  completeNow(key: string, owner: string): void {
    const record = this.records.get(key)
    if (record?.owner === owner) this.records.set(key, { ...record, status: 'completed' })
  }

  async release(key: string, owner: string): Promise<void> {
    this.releaseNow(key, owner)
  }

  releaseNow(key: string, owner: string): void {
    const record = this.records.get(key)
    if (record?.owner === owner && record.status === 'in-progress') this.records.delete(key)
  }
}

/** A key held by a run still in progress: thrown so that the event is retried once that run has finished (or failed). */
export class KeyInProgressError extends Error {
  override name = 'KeyInProgressError'
}
