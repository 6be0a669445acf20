import { AwsProvider, LocalBackend, S3Backend, TerraformStack } from './cdktf.js'
import { relative } from 'node:path'
import type { Construct } from 'constructs'
import type { Model } from '../model/model.js'

/**
 * A stack whose synthesis skips cdktf's preparing resolve: that first pass over every element
 * (a third of cdktf's token resolution) finds references across stacks and adds their outputs
 * before any stack is written, and task-gen's stacks have none: they name each other's resources
 * by the names and ARNs the model derives. A reference across stacks is refused outright, so it
 * can never be synthesized wrong (test/synth/synth-golden.test.ts shows the output unchanged).
 */
class TaskGenStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists()
  }

  override registerOutgoingCrossStackReference(identifier: string): never {
    throw new Error(`internal: a reference across stacks (${identifier}); task-gen's stacks name each other's resources by name and ARN`)
  }
}

/** A stack of the app: its AWS provider (with tags naming app, stage and stack) and its state backend. `stackDir`: the folder it is written to. */
export function createStack(scope: Construct, model: Model, { name, stackDir }: { name: string; stackDir: string }): TerraformStack {
  const stack = new TaskGenStack(scope, name)
  new AwsProvider(stack, 'aws', {
    region: model.region,
    defaultTags: [{ tags: { 'task-gen:app': model.app, 'task-gen:stage': model.stage, 'task-gen:stack': name } }],
  })
  const backend = model.backend
  if (backend.kind === 's3') {
    new S3Backend(stack, {
      bucket: backend.bucket,
      key: `${backend.keyPrefix}${model.app}/${model.stage}/${name}.tfstate`,
      region: backend.region,
      encrypt: true,
      ...(backend.lockTable ? { dynamodbTable: backend.lockTable } : {}),
    })
  } else {
    // Relative to the stack folder, where terraform runs: the synthesized JSON stays portable.
    new LocalBackend(stack, { path: relative(stackDir, `${backend.stateDir}/${name}.tfstate`) })
  }
  return stack
}
