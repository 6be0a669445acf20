import { join } from 'node:path'
import { Testing, TerraformStack } from 'cdktf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UserError } from '../../generator/errors/problem.js'
import { loadModel } from '../../generator/model/load-model.js'
import type { Model } from '../../generator/model/model.js'
import { addOnFailureStack } from '../../generator/synth/on-failure-stack.js'
import { MANAGED_POLICY_LIMITS, splitStatement } from '../../generator/synth/policy.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

afterAll(removeTempDirs)

const BUNDLE = { key: 'on-failure', task: undefined, zip: Buffer.from(''), hash: 'h', fileName: 'on-failure.zip', inputs: [] }

/** The shop model with `count` tasks in its orders stack, named as long as a task name gets. */
function shopWith(shop: Model, count: number): Model {
  const [orders] = shop.stacks
  const template = orders!.tasks[0]!
  const tasks = Array.from({ length: count }, (_, i) => {
    const name = `task${String(i).padStart(4, '0')}`
    return { ...template, name, names: { ...template.names, failureQueue: `shop-dev-orders-${name}-failures` } }
  })
  return { ...shop, stacks: [{ ...orders!, tasks }] }
}

function onFailureJson(model: Model) {
  const stack = new TerraformStack(Testing.app(), 'on-failure')
  addOnFailureStack({ stack, model }, model.onFailure!, BUNDLE)
  return JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, { policy?: string; name?: string }>> }
}

/** The size AWS measures: the document without whitespace, the account id resolved to its 12 digits. */
function deployedSize(policy: string): number {
  return policy.replaceAll('${data.aws_caller_identity.account.account_id}', '123456789012').length
}

describe("the on-failure function's grant on the failure queues", () => {
  let shop: Model

  beforeAll(() => {
    shop = loadModel({ configFile: join(copyShop('grants'), 'task-gen.json'), stage: 'dev' })
  })

  it('names every queue exactly, split over as few managed policies as fit the size AWS allows', () => {
    const policies = Object.values(onFailureJson(shopWith(shop, 300)).resource.aws_iam_policy!)
    const documents = policies.map((p) => JSON.parse(p.policy!) as { Statement: { Resource: string[] }[] })
    const named = documents.flatMap((d) => d.Statement.flatMap((s) => s.Resource))
    expect(named).toEqual(
      Array.from(
        { length: 300 },
        (_, i) => `arn:aws:sqs:us-east-1:\${data.aws_caller_identity.account.account_id}:shop-dev-orders-task${String(i).padStart(4, '0')}-failures`,
      ),
    )
    for (const policy of policies) expect(deployedSize(policy.policy!)).toBeLessThanOrEqual(MANAGED_POLICY_LIMITS.characters)
    // As few as fit: n ARNs of length L (quoted, comma-separated) fill a document when n·(L + 3) − 1 + its empty size reaches the limit.
    const arn = named[0]!.replace('${data.aws_caller_identity.account.account_id}', '123456789012')
    const empty = deployedSize(policies[0]!.policy!.replace(/"Resource":\[[^\]]*\]/, '"Resource":[]'))
    const perPolicy = Math.floor((MANAGED_POLICY_LIMITS.characters - empty + 1) / (arn.length + 3))
    expect(policies.length).toBe(Math.ceil(300 / perPolicy))
    expect(policies.map((p) => p.name)).toEqual(policies.map((_, i) => `shop-dev-on-failure-queues-${i + 1}`))
  })

  it('is an error naming onFailure when the queues would need more policies than AWS attaches to a role', () => {
    let error: unknown
    try {
      onFailureJson(shopWith(shop, 1000))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).problems).toEqual([
      expect.objectContaining({ code: 'limit_exceeded', path: 'onFailure', message: expect.stringContaining('1000 failure queues') }),
    ])
  })
})

describe('splitStatement', () => {
  const statement = { Effect: 'Allow' as const, Action: ['sqs:ReceiveMessage'] }
  const resource = (i: number) => ({ written: `\${token}:q${i}`, deployed: `123456789012:q${i}` })

  it('keeps every resource, in order, each document within the limit once deployed', () => {
    const limit = 200
    const documents = splitStatement(
      statement,
      Array.from({ length: 20 }, (_, i) => resource(i)),
      limit,
    )
    const deployed = documents.map((d) => d.replaceAll('${token}', '123456789012'))
    for (const d of deployed) expect(d.length).toBeLessThanOrEqual(limit)
    expect(documents.flatMap((d) => (JSON.parse(d) as { Statement: { Resource: string[] }[] }).Statement[0]!.Resource)).toEqual(
      Array.from({ length: 20 }, (_, i) => `\${token}:q${i}`),
    )
    // Greedy: each document but the last is full (the next resource would not have fit).
    for (const d of deployed.slice(0, -1)) expect(d.length + ',"123456789012:q10"'.length).toBeGreaterThan(limit)
  })

  it('gives one document for a list that fits', () => {
    expect(splitStatement(statement, [resource(1), resource(2)], MANAGED_POLICY_LIMITS.characters)).toEqual([
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage"],"Resource":["${token}:q1","${token}:q2"]}]}',
    ])
  })
})
