/**
 * SNS topic names and ARNs, from app, stage and topic: the infrastructure creates the topics under
 * these names and the client publishes to them, so both import this one module.
 */

/** SNS: topic names of up to 256 letters, digits, hyphens and underscores. */
export const TOPIC_NAME_LIMIT = 256

export function topicResourceName(app: string, stage: string, topic: string): string {
  return `${app}-${stage}-${topic}`
}

/** The ARN partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud, else `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

export function topicArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:sns:${region}:${account}:${name}`
}
