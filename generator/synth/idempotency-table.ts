import { DynamodbTable, TerraformOutput, type TerraformStack } from './cdktf.js'
import type { IdempotencyModel } from '../model/model.js'
import type { PolicyStatement } from './policy.js'

/** What the task wrapper does with a key: claim it (PutItem), read who holds it (GetItem), complete it (UpdateItem), release it (DeleteItem). */
const KEY_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']

/**
 * A task's idempotency keys: a DynamoDB table keyed by `key`, paid per request (a task called
 * rarely costs nothing idle), encrypted at rest, and its records deleted by TTL once their window
 * has ended (`expiresAt`, epoch seconds; the wrapper also treats an expired record as absent,
 * since TTL deletes within days, not at once).
 */
export function createIdempotencyTable(stack: TerraformStack, id: string, idempotency: IdempotencyModel): DynamodbTable {
  const table = new DynamodbTable(stack, `${id}_idempotency`, {
    name: idempotency.tableName,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: 'key',
    attribute: [{ name: 'key', type: 'S' }],
    ttl: { attributeName: 'expiresAt', enabled: true },
    serverSideEncryption: { enabled: true },
  })
  new TerraformOutput(stack, `${id}_idempotency_table`, { value: table.name })
  return table
}

/** The task's role may record keys in its own table, and nowhere else. */
export function recordKeysStatement(table: DynamodbTable): PolicyStatement {
  return { Effect: 'Allow', Action: KEY_ACTIONS, Resource: table.arn }
}
