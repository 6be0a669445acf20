import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadAndExtract } from '../../generator/generate.js'
import { synthesize } from '../../generator/synth/synthesize.js'
import { writeProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { terraformOk } from '../helpers/terraform.js'

afterAll(removeTempDirs)

interface LambdaJson {
  environment: { variables: Record<string, string> }
  description: string
}

describe('user text in the synthesized Terraform', () => {
  it('stays text: ${…} and %{…} in environment values, descriptions and permission resources are not Terraform expressions', async () => {
    const root = tempDir('terraform-text')
    const secret = join(root, 'secret.txt')
    writeFileSync(secret, 'read by terraform')
    const environment = { READ_FILE: `\${file(${JSON.stringify(secret)})}`, DIRECTIVE: '%{ if true }yes%{ endif }', ESCAPED: '$${kept}' }
    const resource = 'arn:aws:s3:::shop-uploads/${aws:username}/*'
    const configFile = writeProject(
      join(root, 'project'),
      {
        app: 'shop',
        region: 'us-east-1',
        stacks: {
          s: {
            tasks: {
              t: {
                consumer: {
                  code: './handler.ts',
                  environment,
                  description: '${upper("x")}',
                  permissions: [{ actions: ['s3:GetObject'], resources: [resource] }],
                },
              },
            },
          },
        },
      },
      { 'handler.ts': 'export default async () => {}\n' },
    )
    const { model, extraction } = await loadAndExtract({ configFile })
    const out = join(root, 'out')
    await synthesize(model, extraction, out)
    const stack = JSON.parse(readFileSync(join(out, 'stacks', 's', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> }
    const lambda = Object.values(stack.resource.aws_lambda_function!)[0] as LambdaJson
    const policy = Object.values(stack.resource.aws_iam_role_policy!)[0] as { policy: string }
    // The runtime's own variable stays a Terraform reference.
    expect(lambda.environment.variables.TASK_GEN_FAILURE_QUEUE_URL).toMatch(/^\$\{aws_sqs_queue\.[\w-]+\.url\}$/)

    // Terraform itself reads the synthesized strings back: each must come out as the user wrote it.
    const evaluate = tempDir('terraform-evaluate')
    // The policy's own statements refer to resources of the stack; only the user's is evaluated here.
    const statements = (JSON.parse(policy.policy) as { Statement: { Action: string[]; Resource: string[] }[] }).Statement
    const userResource = statements.find((statement) => statement.Action.includes('s3:GetObject'))!.Resource[0]!
    const outputs = { ...lambda.environment.variables, description: lambda.description, resource: userResource }
    delete (outputs as Record<string, string>).TASK_GEN_FAILURE_QUEUE_URL
    writeFileSync(
      join(evaluate, 'main.tf.json'),
      JSON.stringify({ output: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value }])) }),
    )
    const env = { TF_DATA_DIR: join(evaluate, '.terraform') }
    await terraformOk(['init', '-input=false', '-no-color'], { cwd: evaluate, env })
    await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: evaluate, env })
    const values = JSON.parse((await terraformOk(['output', '-json'], { cwd: evaluate, env })).stdout) as Record<string, { value: string }>
    expect({ READ_FILE: values.READ_FILE!.value, DIRECTIVE: values.DIRECTIVE!.value, ESCAPED: values.ESCAPED!.value }).toEqual(environment)
    expect(values.description!.value).toBe('${upper("x")}')
    expect(values.resource!.value).toBe(resource)
  }, 120_000)
})
