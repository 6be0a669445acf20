import { CloudwatchLogGroup, IamRole, IamRolePolicy, LambdaFunction } from './cdktf.js'
import type { Construct } from 'constructs'
import type { FunctionResourceNames } from '../../runtime/names.js'
import type { BundleRef } from './bundle-refs.js'
import { terraformText } from '../text/escape.js'
import type { FunctionModel } from '../model/model.js'
import { LAMBDA_ASSUME_ROLE, policyDocument, userStatements, VPC_STATEMENT, type PolicyStatement } from './policy.js'

export interface FunctionResources {
  logGroup: CloudwatchLogGroup
  role: IamRole
  /** The role's inline policy: what reads a queue must wait for it (Lambda checks the role when the mapping is made). */
  policy: IamRolePolicy
  function: LambdaFunction
}

export interface FunctionSpec {
  fn: FunctionModel
  names: FunctionResourceNames
  bundle: BundleRef
  /** What the role may do besides writing its log group and the user's permissions. @default nothing */
  statements?: PolicyStatement[]
  /** Variables the runtime reads, as Terraform references (the user's are text). @default none */
  runtimeEnvironment?: Record<string, string>
}

/**
 * A Lambda function with its own log group and its own role, allowed to write that log group,
 * plus `statements` and the user's permissions: nothing more.
 */
export function createFunction(scope: Construct, id: string, spec: FunctionSpec): FunctionResources {
  const { fn, names, bundle, statements = [], runtimeEnvironment = {} } = spec
  const logGroup = new CloudwatchLogGroup(scope, `${id}_logs`, {
    name: names.logGroup,
    ...(fn.logRetentionDays > 0 ? { retentionInDays: fn.logRetentionDays } : {}),
  })
  const role = new IamRole(scope, `${id}_role`, { name: names.role, assumeRolePolicy: LAMBDA_ASSUME_ROLE })
  const policy = new IamRolePolicy(scope, `${id}_policy`, {
    name: 'task-gen',
    role: role.id,
    policy: policyDocument([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:*` },
      ...statements,
      ...(fn.vpc ? [VPC_STATEMENT] : []),
      ...userStatements(fn.permissions),
    ]),
  })
  // The user's values are text; the runtime's are Terraform references.
  const userEnvironment = Object.fromEntries(Object.entries(fn.environment).map(([name, value]) => [name, terraformText(value)]))
  const environment = { ...userEnvironment, ...runtimeEnvironment, ...(fn.bundle.sourcemap ? { NODE_OPTIONS: '--enable-source-maps' } : {}) }
  const lambda = new LambdaFunction(scope, `${id}_function`, {
    functionName: names.function,
    role: role.arn,
    filename: `assets/${bundle.fileName}`,
    sourceCodeHash: bundle.hash,
    handler: 'index.handler',
    runtime: fn.runtime,
    architectures: [fn.architecture],
    memorySize: fn.memoryMb,
    timeout: fn.timeoutSeconds,
    ephemeralStorage: { size: fn.ephemeralStorageMb },
    ...(Object.keys(environment).length > 0 ? { environment: { variables: environment } } : {}),
    ...(fn.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: fn.reservedConcurrency } : {}),
    ...(fn.layers.length > 0 ? { layers: fn.layers } : {}),
    ...(fn.vpc ? { vpcConfig: { subnetIds: fn.vpc.subnetIds, securityGroupIds: fn.vpc.securityGroupIds } } : {}),
    ...(fn.description !== undefined ? { description: terraformText(fn.description) } : {}),
    dependsOn: [logGroup],
  })
  return { logGroup, role, policy, function: lambda }
}
