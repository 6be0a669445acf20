import type { PermissionStatement } from '../config/schema.js'
import { terraformText } from '../text/escape.js'

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny'
  Action: string[]
  Resource: string | string[]
  Condition?: Record<string, Record<string, string>>
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements })
}

export const LAMBDA_ASSUME_ROLE = policyDocument([]).replace(
  '"Statement":[]',
  '"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]',
)

/** The user's `permissions`, as IAM statements; a resource's `${aws:username}` is IAM's, not Terraform's. */
export function userStatements(permissions: readonly PermissionStatement[]): PolicyStatement[] {
  return permissions.map((p) => ({ Effect: p.effect ?? 'Allow', Action: [...p.actions], Resource: p.resources.map(terraformText) }))
}

/** What an SQS event source mapping needs of the queues it reads. */
export const CONSUME_QUEUE: Omit<PolicyStatement, 'Resource'> = {
  Effect: 'Allow',
  Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
}

/** What Lambda needs to attach a function to a VPC; AWS requires Resource "*" for these. */
export const VPC_STATEMENT: PolicyStatement = {
  Effect: 'Allow',
  Action: [
    'ec2:AssignPrivateIpAddresses',
    'ec2:CreateNetworkInterface',
    'ec2:DeleteNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:UnassignPrivateIpAddresses',
  ],
  Resource: '*',
}

/** AWS's limits on managed policies: characters of one (whitespace not counted), and how many a role may have attached by default. */
export const MANAGED_POLICY_LIMITS = { characters: 6144, perRole: 10 } as const

/** A resource as synth writes it (it may hold Terraform tokens) and as it will read once deployed, which is what AWS measures. */
export interface SizedResource {
  written: string
  deployed: string
}

/**
 * One statement over exact resources, split into as few policy documents as keep each within
 * `maxCharacters` once deployed (an exact list grows with the app; a wildcard would not, but
 * would reach names of other apps and stages).
 */
export function splitStatement(statement: Omit<PolicyStatement, 'Resource'>, resources: readonly SizedResource[], maxCharacters: number): string[] {
  const empty = policyDocument([{ ...statement, Resource: [] }]).length
  const groups: SizedResource[][] = []
  let group: SizedResource[] = []
  let size = empty
  for (const resource of resources) {
    const length = JSON.stringify(resource.deployed).length
    if (group.length > 0 && size + 1 + length > maxCharacters) {
      groups.push(group)
      group = []
      size = empty
    }
    size += (group.length > 0 ? 1 : 0) + length
    group.push(resource)
  }
  if (group.length > 0) groups.push(group)
  return groups.map((g) => policyDocument([{ ...statement, Resource: g.map((r) => r.written) }]))
}
