import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize, type SynthResult } from '../../generator/synth/synthesize.js'
import { payloadsShop } from '../helpers/payloads-shop.js'
import { policyStatements, type StackJson } from '../helpers/synthesized-policies.js'
import { removeTempDirs } from '../helpers/temp.js'

afterAll(removeTempDirs)

type Json = StackJson & { resource: Record<string, Record<string, Record<string, any>>> }

function bare(resources: Record<string, Record<string, unknown>> | undefined) {
  return Object.values(resources ?? {}).map(({ '//': _, ...rest }) => rest)
}

describe('synth of an app that offloads large payloads', () => {
  let result: SynthResult
  const stacks: Record<string, Json> = {}

  beforeAll(async () => {
    const dir = payloadsShop('synth-payloads')
    const { model, extraction } = await loadAndExtract({ configFile: join(dir, 'task-gen.json') })
    result = await synthesize(model, extraction, join(dir, 'cdktf.out'))
    for (const stack of result.stacks) stacks[stack.name] = JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8'))
  }, 120_000)

  it('an app-wide payloads stack deploys after the on-failure stack and before the task stacks', () => {
    expect(result.stacks.map((s) => s.name)).toEqual(['on-failure', 'app-payloads', 'app-topics', 'orders', 'reports'])
  })

  it("the bucket is named for app and stage, encrypted, closed to the public, and expires the app's objects after 15 days", () => {
    const s = stacks['app-payloads']!.resource
    expect(bare(s.aws_s3_bucket)).toEqual([{ bucket: 'shop-dev-payloads', force_destroy: true }])
    expect(bare(s.aws_s3_bucket_server_side_encryption_configuration)).toEqual([
      { bucket: '${aws_s3_bucket.payloads.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] },
    ])
    expect(bare(s.aws_s3_bucket_public_access_block)).toEqual([
      {
        bucket: '${aws_s3_bucket.payloads.id}',
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    ])
    expect(bare(s.aws_s3_bucket_lifecycle_configuration)).toEqual([
      {
        bucket: '${aws_s3_bucket.payloads.id}',
        rule: [
          {
            id: 'expire-payloads',
            status: 'Enabled',
            filter: [{ prefix: 'shop/dev/' }],
            expiration: [{ days: 15 }],
            abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
          },
        ],
      },
    ])
    expect(Object.keys(stacks['app-payloads']!.output ?? {}).sort()).toEqual(['payload_bucket_arn', 'payload_bucket_name'])
  })

  it("each task's role may read exactly its own prefix; the callers may store under exactly the stack's tasks' prefixes; on-failure reads the app's", () => {
    const s3 = (stack: string) => policyStatements(stacks[stack]!, stack).filter((st) => st.Action.some((a) => a.startsWith('s3:')))
    const orders = s3('orders')
    expect(orders.filter((st) => st.Action.includes('s3:GetObject')).map((st) => st.Resource)).toEqual([
      // A subscriber also reads what is published to its topic, under the topic's prefix.
      ['arn:aws:s3:::shop-dev-payloads/shop/dev/orders/notifyWarehouse/*', 'arn:aws:s3:::shop-dev-payloads/shop/dev/-topics/orderPlaced/*'],
      ['arn:aws:s3:::shop-dev-payloads/shop/dev/orders/processOrder/*'],
      ['arn:aws:s3:::shop-dev-payloads/shop/dev/orders/reserveStock/*'],
      ['arn:aws:s3:::shop-dev-payloads/shop/dev/orders/sendReceipt/*'],
    ])
    expect(orders.filter((st) => st.Action.includes('s3:PutObject')).map((st) => [st.Action, st.Resource])).toEqual([
      [
        ['s3:PutObject'],
        [
          'arn:aws:s3:::shop-dev-payloads/shop/dev/orders/processOrder/*',
          'arn:aws:s3:::shop-dev-payloads/shop/dev/orders/sendReceipt/*',
          'arn:aws:s3:::shop-dev-payloads/shop/dev/orders/reserveStock/*',
          'arn:aws:s3:::shop-dev-payloads/shop/dev/orders/notifyWarehouse/*',
        ],
      ],
    ])
    expect(s3('on-failure').map((st) => [st.Action, st.Resource])).toEqual([[['s3:GetObject'], ['arn:aws:s3:::shop-dev-payloads/shop/dev/*']]])
    // Publishers may store under exactly the topics' prefixes, beside sns:Publish.
    const publish = JSON.parse(stacks['app-topics']!.output!.invoke_policy!.value as string).Statement
    expect(publish[1]).toEqual({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::shop-dev-payloads/shop/dev/-topics/orderPlaced/*'] })
  })
})
