/**
 * Reads the IAM statements and the resource ARNs out of synthesized Terraform JSON, with every
 * Terraform reference resolved to the ARN it will have once deployed, so that a test can ask
 * which deployed resources a policy reaches.
 */

export const ACCOUNT = '123456789012'

export interface Statement {
  Effect: string
  Action: string[]
  Resource: string[]
  /** Where the statement was found, for messages: `orders: aws_iam_role_policy.processOrder_policy`. */
  source: string
}

type Block = Record<string, Record<string, Record<string, unknown>>>

export interface StackJson {
  resource?: Block
  data?: Block
  output?: Record<string, { value: unknown }>
  provider?: { aws?: { region?: string }[] }
}

/** Resources that have no ARN of their own: nothing can be granted on them. */
const WITHOUT_ARN = new Set([
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_lambda_function_event_invoke_config',
  'aws_lambda_permission',
  'aws_sns_topic_subscription',
  'aws_sqs_queue_redrive_policy',
])

function regionOf(stack: StackJson): string {
  const region = stack.provider?.aws?.[0]?.region
  if (!region) throw new Error('the stack has no AWS provider region')
  return region
}

/** The ARN a resource will have, and the ARNs of what it holds (log streams, function versions). */
function arnsOf(type: string, attributes: Record<string, unknown>, region: string): string[] {
  const name = String(attributes.name ?? attributes.function_name)
  switch (type) {
    case 'aws_sqs_queue':
      return [`arn:aws:sqs:${region}:${ACCOUNT}:${name}`]
    case 'aws_lambda_function':
      return [`arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`, `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}:$LATEST`]
    case 'aws_cloudwatch_log_group': {
      const group = `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}`
      return [group, `${group}:*`, `${group}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`]
    }
    case 'aws_iam_role':
      return [`arn:aws:iam::${ACCOUNT}:role/${name}`]
    case 'aws_iam_policy':
      return [`arn:aws:iam::${ACCOUNT}:policy/${name}`]
    case 'aws_scheduler_schedule_group':
      // With the one-time schedules the client creates in it for delayed calls.
      return [
        `arn:aws:scheduler:${region}:${ACCOUNT}:schedule-group/${name}`,
        `arn:aws:scheduler:${region}:${ACCOUNT}:schedule/${name}/delay-00000000-0000-0000-0000-000000000000`,
      ]
    case 'aws_scheduler_schedule':
      return [`arn:aws:scheduler:${region}:${ACCOUNT}:schedule/${String(attributes.group_name)}/${name}`]
    case 'aws_sns_topic':
      return [`arn:aws:sns:${region}:${ACCOUNT}:${name}`]
    case 'aws_dynamodb_table':
      return [`arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}`]
    case 'aws_lambda_event_source_mapping':
      return [`arn:aws:lambda:${region}:${ACCOUNT}:event-source-mapping:00000000-0000-0000-0000-${name.length.toString().padStart(12, '0')}`]
    default:
      if (WITHOUT_ARN.has(type)) return []
      throw new Error(`the test does not know the ARN of a ${type}: teach arnsOf`)
  }
}

/** Every ARN the stacks' resources will have once deployed. */
export function resourceArns(stacks: readonly StackJson[]): string[] {
  return stacks.flatMap((stack) =>
    Object.entries(stack.resource ?? {}).flatMap(([type, byId]) => Object.values(byId).flatMap((attributes) => arnsOf(type, attributes, regionOf(stack)))),
  )
}

/** `${aws_sqs_queue.x.arn}`, `${data.aws_caller_identity.account.account_id}`: resolved within the stack. */
function resolve(text: string, stack: StackJson): string {
  const resolved = text.replace(/\$\{([^}]*)\}/g, (_whole, expression: string) => {
    if (/^data\.aws_caller_identity\.\w+\.account_id$/.test(expression)) return ACCOUNT
    const reference = /^(aws_\w+)\.(\w+)\.arn$/.exec(expression)
    const attributes = reference && stack.resource?.[reference[1]!]?.[reference[2]!]
    if (!reference || !attributes) throw new Error(`cannot resolve the Terraform expression \${${expression}}`)
    const [arn] = arnsOf(reference[1]!, attributes, regionOf(stack))
    if (!arn) throw new Error(`${expression} has no ARN`)
    return arn
  })
  return resolved
}

function asList(value: unknown): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]
}

function statementsOfDocument(text: string, stack: StackJson, source: string): Statement[] {
  const document = JSON.parse(text) as { Statement: Record<string, unknown>[] }
  return document.Statement.filter((s) => s.Resource !== undefined || s.NotResource !== undefined).map((s) => {
    // NotResource reaches everything but what it names: as broad as "*", for this audit.
    const resources = s.NotResource !== undefined ? ['*'] : asList(s.Resource)
    return { Effect: String(s.Effect), Action: asList(s.Action ?? s.NotAction), Resource: resources.map((r) => resolve(r, stack)), source }
  })
}

function isPolicyDocument(value: unknown): value is string {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return false
  try {
    return Array.isArray((JSON.parse(value) as { Statement?: unknown }).Statement)
  } catch {
    return false
  }
}

/** Every string value below `value` that is an IAM policy document. */
function documentsBelow(value: unknown, path: string, found: { path: string; text: string }[]): void {
  if (isPolicyDocument(value)) found.push({ path, text: value })
  else if (Array.isArray(value)) value.forEach((item, i) => documentsBelow(item, `${path}[${i}]`, found))
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) documentsBelow(item, `${path}.${key}`, found)
}

/**
 * Every IAM statement in a stack: each policy document anywhere in its resources and outputs
 * (role policies, managed policies, queue policies, the invoke_policy output), and the statements of
 * aws_iam_policy_document data sources. Trust policies name no resource and are left out.
 */
export function policyStatements(stack: StackJson, stackName: string): Statement[] {
  const found: { path: string; text: string }[] = []
  documentsBelow(stack.resource ?? {}, `${stackName}: resource`, found)
  documentsBelow(stack.output ?? {}, `${stackName}: output`, found)
  const statements = found.flatMap(({ path, text }) => statementsOfDocument(text, stack, path))
  for (const [id, document] of Object.entries(stack.data?.aws_iam_policy_document ?? {})) {
    for (const s of (document.statement ?? []) as Record<string, unknown>[]) {
      const resources = s.not_resources !== undefined ? ['*'] : asList(s.resources)
      statements.push({
        Effect: String(s.effect ?? 'Allow'),
        Action: asList(s.actions ?? s.not_actions),
        Resource: resources.map((r) => resolve(r, stack)),
        source: `${stackName}: data.aws_iam_policy_document.${id}`,
      })
    }
  }
  return statements
}

/** IAM's matching of a Resource element: `*` any run of characters, `?` any one, case-sensitive. */
export function iamMatches(pattern: string, arn: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, 's').test(arn)
}

/** Whether the statement's actions can act on this ARN: an action only ever reaches resources of its own service. */
export function actsOn(statement: Statement, arn: string): boolean {
  const service = arn.split(':')[2]
  return statement.Action.some((action) => action === '*' || action.split(':')[0] === service)
}
