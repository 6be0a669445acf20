import type { PermissionStatement } from '../config/schema.js'
import { terraformText } from '../emit/escape.js'

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny'
  Action: string[]
  Resource: string | string[]
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

/** What Lambda needs to attach a function to a VPC; AWS requires Resource "*" for these. */
export const VPC_STATEMENT: PolicyStatement = {
  Effect: 'Allow',
  Action: ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:UnassignPrivateIpAddresses'],
  Resource: '*',
}
