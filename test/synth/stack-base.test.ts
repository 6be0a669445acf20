import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { App, SqsQueue, TerraformOutput } from '../../generator/synth/cdktf.js'
import type { Model } from '../../generator/model/model.js'
import { createStack } from '../../generator/synth/stack-base.js'
import { danglingReferences } from '../../generator/synth/stack-references.js'
import { readStacks } from '../../generator/synth/synth-stacks.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

const model = { app: 'shop', stage: 'dev', region: 'us-east-1', backend: { kind: 'local', stateDir: '/project/.task-gen/state/dev' } } as unknown as Model

function twoStacks() {
  const outdir = tempDir('stack-base')
  const app = new App({ outdir, stackTraces: false })
  const stackDir = (name: string) => join(outdir, 'stacks', name)
  const a = createStack(app, model, { name: 'a', stackDir: stackDir('a') })
  const b = createStack(app, model, { name: 'b', stackDir: stackDir('b') })
  return { app, a, b, outdir }
}

describe("task-gen's stacks skip cdktf's preparing resolve", () => {
  it('a stack still synthesizes its own references', () => {
    const { app, a } = twoStacks()
    const queue = new SqsQueue(a, 'q', { name: 'shop-q' })
    new TerraformOutput(a, 'url', { value: queue.url })
    app.synth()
    expect(a.toTerraform()).toMatchObject({ output: { url: { value: '${aws_sqs_queue.q.url}' } }, resource: { aws_sqs_queue: { q: { name: 'shop-q' } } } })
  })

  it('a reference across stacks, which would need that pass, is refused rather than written', () => {
    const { app, a, b, outdir } = twoStacks()
    const queue = new SqsQueue(a, 'q', { name: 'shop-q' })
    new TerraformOutput(b, 'url', { value: queue.url })
    app.synth()
    expect(() => readStacks(outdir)).toThrow('internal: references to nothing the stack declares: ${aws_sqs_queue.q.url} in stacks/b/cdk.tf.json')
  })
})

describe('danglingReferences', () => {
  const stack = (output: string) =>
    JSON.stringify({ resource: { aws_sqs_queue: { q: { name: 'x' } } }, data: { aws_caller_identity: { account: {} } }, output: { o: { value: output } } })

  it("accepts references to the stack's own resources and data sources, and escaped user text", () => {
    expect(danglingReferences(stack('${aws_sqs_queue.q.arn}:${data.aws_caller_identity.account.account_id} $${aws_lambda_function.x.arn} $$${y}'))).toEqual([])
  })

  it('names references to anything else, and interpolations that are no plain reference', () => {
    expect(
      danglingReferences(
        stack(
          '${aws_sqs_queue.other.arn} ${data.aws_sqs_queue.q.url} ${aws_lambda_function.q.arn} ${var.region} ${aws_sqs_queue.constructor.x} ${__proto__.toString.x}',
        ),
      ),
    ).toEqual([
      'aws_sqs_queue.other.arn',
      'data.aws_sqs_queue.q.url',
      'aws_lambda_function.q.arn',
      'var.region',
      'aws_sqs_queue.constructor.x',
      '__proto__.toString.x',
    ])
  })
})
