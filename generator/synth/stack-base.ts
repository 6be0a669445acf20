import { AwsProvider, LocalBackend, S3Backend, TerraformStack } from './cdktf.js'
import { relative } from 'node:path'
import type { Construct } from 'constructs'
import type { Model } from '../model/model.js'

/** A stack of the app: its AWS provider (with tags naming app, stage and stack) and its state backend. `stackDir`: the folder it is written to. */
export function createStack(scope: Construct, model: Model, { name, stackDir }: { name: string; stackDir: string }): TerraformStack {
  const stack = new TerraformStack(scope, name)
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
