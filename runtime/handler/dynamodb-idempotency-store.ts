import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { claimDecision, type ClaimOutcome, type IdempotencyStore, type KeyRecord } from './idempotency.js'

/**
 * The deployed store: the task's DynamoDB table (hash key `key`, TTL on `expiresAt`). A claim is
 * one PutItem whose condition is `claimDecision`'s 'claimed' case written as an expression, so
 * that DynamoDB makes the decision atomically; when it refuses, the record it kept says why.
 */

/** `claimDecision` as a condition: no record, its window ended, held by this run, or its holder outlived the timeout. */
const CLAIMABLE = 'attribute_not_exists(#key) OR #expiresAt <= :nowSeconds OR (#status = :inProgress AND (#owner = :owner OR #lockedUntil <= :now))'

const NAMES = { '#key': 'key', '#expiresAt': 'expiresAt', '#status': 'status', '#owner': 'owner', '#lockedUntil': 'lockedUntil' }

/** An item as read back: only the string and number members matter. */
type Item = Record<string, { S?: string; N?: string }>

function itemOf(record: KeyRecord): Record<string, AttributeValue> {
  return {
    key: { S: record.key },
    status: { S: record.status },
    owner: { S: record.owner },
    lockedUntil: { N: String(record.lockedUntil) },
    expiresAt: { N: String(record.expiresAt) },
  }
}

function recordOf(item: Item | undefined): KeyRecord | undefined {
  if (!item?.key?.S) return undefined
  return {
    key: item.key.S,
    status: item.status?.S === 'completed' ? 'completed' : 'in-progress',
    owner: item.owner?.S ?? '',
    lockedUntil: Number(item.lockedUntil?.N ?? 0),
    expiresAt: Number(item.expiresAt?.N ?? 0),
  }
}

function isConditionFailure(error: unknown): error is { name: string; Item?: Item } {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException'
}

type DynamoSdk = typeof import('@aws-sdk/client-dynamodb')

export class DynamoDbIdempotencyStore implements IdempotencyStore {
  private sdk: Promise<DynamoSdk> | undefined
  private client: DynamoDBClient | undefined

  constructor(private readonly table: string) {}

  private async connect(): Promise<{ sdk: DynamoSdk; client: DynamoDBClient }> {
    this.sdk ??= import('@aws-sdk/client-dynamodb')
    const sdk = await this.sdk
    this.client ??= new sdk.DynamoDBClient({})
    return { sdk, client: this.client }
  }

  async claim(record: KeyRecord, now: number): Promise<ClaimOutcome> {
    const { sdk, client } = await this.connect()
    try {
      await client.send(
        new sdk.PutItemCommand({
          TableName: this.table,
          Item: itemOf(record),
          ConditionExpression: CLAIMABLE,
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':nowSeconds': { N: String(Math.floor(now / 1000)) },
            ':now': { N: String(now) },
            ':inProgress': { S: 'in-progress' },
            ':owner': { S: record.owner },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      return 'claimed'
    } catch (error) {
      if (!isConditionFailure(error)) throw error
      // The record that won; read it when the error did not carry it.
      const existing =
        recordOf(error.Item) ??
        recordOf((await client.send(new sdk.GetItemCommand({ TableName: this.table, Key: { key: { S: record.key } }, ConsistentRead: true }))).Item as Item)
      const outcome = claimDecision(existing, { owner: record.owner, now })
      // Gone between the write and the read: another run released it; this one is retried, as for one in progress.
      return outcome === 'claimed' ? 'in-progress' : outcome
    }
  }

  async complete(key: string, owner: string): Promise<void> {
    await this.ownersOnly(async ({ sdk, client }) =>
      client.send(
        new sdk.UpdateItemCommand({
          TableName: this.table,
          Key: { key: { S: key } },
          UpdateExpression: 'SET #status = :completed',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':completed': { S: 'completed' }, ':owner': { S: owner } },
        }),
      ),
    )
  }

  async release(key: string, owner: string): Promise<void> {
    await this.ownersOnly(async ({ sdk, client }) =>
      client.send(
        new sdk.DeleteItemCommand({
          TableName: this.table,
          Key: { key: { S: key } },
          ConditionExpression: '#owner = :owner AND #status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':inProgress': { S: 'in-progress' }, ':owner': { S: owner } },
        }),
      ),
    )
  }

  /** A write that applies to this run's own claim: when another run has taken the key since, there is nothing to do. */
  private async ownersOnly(write: (connection: { sdk: DynamoSdk; client: DynamoDBClient }) => Promise<unknown>): Promise<void> {
    try {
      await write(await this.connect())
    } catch (error) {
      if (!isConditionFailure(error)) throw error
    }
  }
}
