import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatPath, UserError } from '../../generator/errors/problem.js'
import { loadInMemory, minimalConfig, problemsOf } from '../helpers/project.js'

const VALID_DIR = new URL('../fixtures/configs/valid/', import.meta.url)
const TASK = 'stacks.orders.tasks.processOrder'

/** minimalConfig with processOrder replaced by `task`. */
function withTask(task: unknown, extra: Record<string, unknown> = {}) {
  return minimalConfig({ stacks: { orders: { tasks: { processOrder: task } } }, ...extra })
}

/** withTask where the consumer is a function object with these options. */
function withFunction(options: Record<string, unknown>) {
  return withTask({ consumer: { code: './src/process-order.ts', ...options } })
}

describe('valid configs', () => {
  const files = readdirSync(VALID_DIR).filter((f) => f.endsWith('.json'))

  it('has a corpus to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(6)
  })

  it.each(files)('%s loads without problems', (file) => {
    expect(problemsOf(readFileSync(new URL(file, VALID_DIR), 'utf8'))).toEqual([])
  })

  it('the shop example loads without problems', () => {
    expect(problemsOf(readFileSync(new URL('../../examples/shop/task-gen.json', import.meta.url), 'utf8'))).toEqual([])
  })
})

const F = `${TASK}.consumer`

/** Like problemsOf, with the line each problem is reported at. */
function problemsWithLines(config: unknown): string[] {
  try {
    loadInMemory(config)
    return []
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    return error.problems.map((p) => `${p.path}: ${p.message} at line ${p.location?.line}`)
  }
}

const INVALID: [name: string, config: unknown, expected: string[]][] = [
  [
    'retryAttempts above 2',
    withTask({ consumer: './src/process-order.ts', retryAttempts: 3 }),
    [`${TASK}.retryAttempts: must be an integer from 0 to 2, got 3`],
  ],
  [
    'retryAttempts not an integer',
    withTask({ consumer: './src/process-order.ts', retryAttempts: 1.5 }),
    [`${TASK}.retryAttempts: must be an integer from 0 to 2, got 1.5`],
  ],
  [
    'retryAttempts as a string',
    withTask({ consumer: './src/process-order.ts', retryAttempts: '2' }),
    [`${TASK}.retryAttempts: must be an integer from 0 to 2, got "2"`],
  ],
  ['negative default retryAttempts', minimalConfig({ defaults: { retryAttempts: -1 } }), ['defaults.retryAttempts: must be an integer from 0 to 2, got -1']],
  [
    'misspelt retryAttempts',
    withTask({ consumer: './src/process-order.ts', retries: 1 }),
    [`${TASK}.retries: unknown key "retries"; did you mean "retryAttempts"?`],
  ],
  ['misspelt stacks', { app: 'shop', region: 'us-east-1', stack: {} }, ['stack: unknown key "stack"; did you mean "stacks"?', 'stacks: is required']],
  ['memory for memorySize', withFunction({ memory: '512 MB' }), [`${F}.memory: unknown key "memory"; did you mean "memorySize"?`]],
  [
    'an unknown key with nothing close',
    withFunction({ colour: 'red' }),
    [
      `${F}.colour: unknown key "colour" (expected one of: code, handler, runtime, architecture, memorySize, timeout, ephemeralStorageSize, environment, logRetention, reservedConcurrency, permissions, vpc, layers, description)`,
    ],
  ],
  ['memory below 128 MB', withFunction({ memorySize: '64 MB' }), [`${F}.memorySize: must be from 128 MB to 10240 MB, got "64 MB"`]],
  ['memory above 10 GB', withFunction({ memorySize: '11 GB' }), [`${F}.memorySize: must be from 128 MB to 10240 MB, got "11 GB"`]],
  [
    'memory as a number',
    withFunction({ memorySize: 512 }),
    [`${F}.memorySize: expected a size like "512 MB" (an integer, a space, and B, KB, MB or GB), got number 512`],
  ],
  [
    'memory without a space',
    withFunction({ memorySize: '512mb' }),
    [`${F}.memorySize: expected a size like "512 MB" (an integer, a space, and B, KB, MB or GB), got "512mb"; did you mean "512 MB"?`],
  ],
  ['timeout above 15 minutes', withFunction({ timeout: '16 minutes' }), [`${F}.timeout: must be from 1 second to 15 minutes, got "16 minutes"`]],
  ['timeout of zero', withFunction({ timeout: '0 seconds' }), [`${F}.timeout: must be from 1 second to 15 minutes, got "0 seconds"`]],
  [
    'maxEventAge below a minute',
    withTask({ consumer: './src/process-order.ts', maxEventAge: '30 seconds' }),
    [`${TASK}.maxEventAge: must be from 1 minute to 6 hours, got "30 seconds"`],
  ],
  [
    'ephemeral storage below 512 MB',
    withFunction({ ephemeralStorageSize: '256 MB' }),
    [`${F}.ephemeralStorageSize: must be from 512 MB to 10240 MB, got "256 MB"`],
  ],
  [
    'a runtime the provider lacks',
    withFunction({ runtime: 'nodejs24.x' }),
    [
      `${F}.runtime: must be one of "nodejs20.x", "nodejs22.x", got "nodejs24.x"; did you mean "nodejs20.x"? (the AWS provider this tool pins, 5.100.0, has no nodejs24.x)`,
    ],
  ],
  ['a misspelt architecture', withFunction({ architecture: 'arm' }), [`${F}.architecture: must be one of "arm64", "x86_64", got "arm"; did you mean "arm64"?`]],
  [
    'a reserved environment variable',
    withFunction({ environment: { AWS_REGION: 'x' } }),
    [`${F}.environment.AWS_REGION: AWS_REGION is set by Lambda itself and cannot be set here`],
  ],
  [
    'an environment value that is not a string',
    withFunction({ environment: { PORT: 8080 } }),
    [`${F}.environment.PORT: an environment value must be a string in quotes, got a number`],
  ],
  [
    'an environment name that starts with a digit',
    withFunction({ environment: { '1X': 'a' } }),
    [`${F}.environment["1X"]: an environment variable name must start with a letter and contain only letters, digits and underscores, got "1X"`],
  ],
  [
    'an app name with capitals',
    minimalConfig({ app: 'Shop' }),
    ['app: the app name must be lowercase letters and digits, words joined by single hyphens, starting with a letter, got "Shop"'],
  ],
  ['no region', { app: 'shop', stacks: { orders: { tasks: { processOrder: './src/process-order.ts' } } } }, ['region: is required']],
  ['a region that is not one', minimalConfig({ region: 'virginia' }), ['region: must be an AWS region such as "us-east-1", got "virginia"']],
  ['no stacks', minimalConfig({ stacks: {} }), ['stacks: needs at least one stack']],
  ['a stack with no tasks', minimalConfig({ stacks: { orders: { tasks: {} } } }), ['stacks.orders.tasks: a stack needs at least one task']],
  [
    'a stack without its tasks block',
    minimalConfig({ stacks: { orders: { processOrder: './src/process-order.ts' } } }),
    ['stacks.orders.tasks: is required', 'stacks.orders.processOrder: unknown key "processOrder" (expected one of: tasks)'],
  ],
  [
    'a stack name with a hyphen',
    minimalConfig({ stacks: { 'my-orders': { tasks: { a: './a.ts' } } } }),
    ['stacks["my-orders"]: a stack name must start with a letter and contain only letters, digits and underscores, got "my-orders"'],
  ],
  [
    'a task named then',
    minimalConfig({ stacks: { orders: { tasks: { then: './a.ts' } } } }),
    ['stacks.orders.tasks.then: a task name "then" is reserved in JavaScript; choose another name'],
  ],
  ['a task that is a number', withTask(5), [`${TASK}: expected a handler file path or { "consumer": … }, got 5`]],
  ['a consumer that is a list', withTask({ consumer: ['./a.ts'] }), [`${F}: expected a handler file path or a function object with "code", got a list`]],
  ['a consumer without code', withTask({ consumer: { memorySize: '512 MB' } }), [`${F}.code: is required`]],
  ['an empty handler path', withTask(''), [`${TASK}: must be a file path, not empty`]],
  [
    'a handler file that does not exist',
    withTask('./src/missing.ts'),
    [`${TASK}: handler file "./src/missing.ts" not found (resolved to /project/src/missing.ts)`],
  ],
  [
    'onFailure.maxReceives out of range',
    minimalConfig({ onFailure: { code: './src/process-order.ts', maxReceives: 0 } }),
    ['onFailure.maxReceives: must be an integer from 1 to 1000, got 0'],
  ],
  [
    'maxReceives on a task function (it is an onFailure option)',
    withFunction({ maxReceives: 3 }),
    [
      `${F}.maxReceives: unknown key "maxReceives" (expected one of: code, handler, runtime, architecture, memorySize, timeout, ephemeralStorageSize, environment, logRetention, reservedConcurrency, permissions, vpc, layers, description)`,
    ],
  ],
  [
    'an on-failure file that does not exist',
    minimalConfig({ onFailure: { code: { file: './missing.ts' } } }),
    ['onFailure.code.file: handler file "./missing.ts" not found (resolved to /project/missing.ts)'],
  ],
  [
    'a log retention CloudWatch does not offer',
    withFunction({ logRetention: '10 days' }),
    [
      `${F}.logRetention: CloudWatch keeps logs for one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days, or "forever"; got "10 days" (nearest: "7 days")`,
    ],
  ],
  [
    'a permission with the * action',
    withFunction({ permissions: [{ actions: ['*'], resources: ['*'] }] }),
    [`${F}.permissions[0].actions[0]: must be an IAM action like "s3:GetObject" (a service prefix, a colon and an action; "*" alone is not allowed), got "*"`],
  ],
  [
    'a permission without resources',
    withFunction({ permissions: [{ actions: ['s3:GetObject'], resources: [] }] }),
    [`${F}.permissions[0].resources: needs at least one resource ARN`],
  ],
  [
    'a permission with a bad effect',
    withFunction({ permissions: [{ effect: 'allow', actions: ['s3:GetObject'], resources: ['*'] }] }),
    [`${F}.permissions[0].effect: must be one of "Allow", "Deny", got "allow"; did you mean "Allow"?`],
  ],
  [
    'six layers',
    withFunction({ layers: Array.from({ length: 6 }, (_, i) => `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`) }),
    [`${F}.layers: Lambda allows at most 5 layers`],
  ],
  [
    'a layer that is not an ARN',
    withFunction({ layers: ['my-layer'] }),
    [`${F}.layers[0]: must be a Lambda layer version ARN like "arn:aws:lambda:us-east-1:123456789012:layer:my-layer:3", got "my-layer"`],
  ],
  [
    'a vpc without security groups',
    withFunction({ vpc: { subnetIds: ['subnet-1'], securityGroupIds: [] } }),
    [`${F}.vpc.securityGroupIds: needs at least one security group`],
  ],
  ['negative reserved concurrency', withFunction({ reservedConcurrency: -1 }), [`${F}.reservedConcurrency: must be a whole number, 0 or more, got -1`]],
  [
    'a handler export that is not a name',
    withFunction({ handler: 'my-handler' }),
    [`${F}.handler: must be the name of an exported function, got "my-handler"`],
  ],
  ['a description over 256 characters', withFunction({ description: 'x'.repeat(257) }), [`${F}.description: must be at most 256 characters`]],
  [
    'a client name npm refuses',
    minimalConfig({ client: { name: 'My Tasks' } }),
    ['client.name: must be an npm package name such as "@shop/tasks", got "My Tasks"'],
  ],
  [
    'a client version npm refuses',
    minimalConfig({ client: { version: 'v1.2' } }),
    ['client.version: must be a version npm takes, such as "1.2.0", got "v1.2"'],
  ],
  [
    'a code file in defaults',
    minimalConfig({ defaults: { function: { code: { file: './a.ts' } } } }),
    ['defaults.function.code.file: unknown key "file" (expected one of: minify, external, sourcemap)'],
  ],
  [
    'a minify flag that is a string',
    withFunction({ code: { file: './src/process-order.ts', minify: 'yes' } }),
    [`${F}.code.minify: expected boolean, got "yes"`],
  ],
  [
    'a function name over 64 characters',
    minimalConfig({ app: 'a-very-long-application-name', stacks: { fulfilment: { tasks: { reconcileWarehouseInventory: './a.ts' } } } }),
    [
      'stacks.fulfilment.tasks.reconcileWarehouseInventory: the Lambda function name "a-very-long-application-name-dev-fulfilment-reconcileWarehouseInventory" (stage "dev") is 71 characters; AWS allows 64. Shorten the app, stage, stack or task name',
      'stacks.fulfilment.tasks.reconcileWarehouseInventory: the IAM role name "a-very-long-application-name-dev-fulfilment-reconcileWarehouseInventory" (stage "dev") is 71 characters; AWS allows 64. Shorten the app, stage, stack or task name',
    ],
  ],
  [
    'two tasks whose role names differ only in case',
    minimalConfig({ stacks: { orders: { tasks: { sendMail: './a.ts', sendmail: './b.ts' } } } }),
    [
      'stacks.orders.tasks.sendmail: its resources would be named "shop-dev-orders-sendmail", which stacks.orders.tasks.sendMail already uses (IAM role names ignore case)',
    ],
  ],
  [
    'a task whose names collide with the on-failure handler',
    minimalConfig({ onFailure: './f.ts', stacks: { on: { tasks: { failure: './a.ts' } } } }),
    ['onFailure: its resources would be named "shop-dev-on-failure", which stacks.on.tasks.failure already uses (IAM role names ignore case)'],
  ],
]

describe('invalid configs', () => {
  it('has at least 25 cases', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(25)
  })

  it.each(INVALID)('%s', (_name, config, expected) => {
    expect(problemsOf(config)).toEqual(expected)
  })

  it('reports a key written twice, keeping the schema checks of the rest', () => {
    const text =
      '{\n "app": "shop",\n "app": "shop",\n "region": "us-east-1",\n "stacks": { "orders": { "tasks": { "processOrder": "./src/process-order.ts" } } }\n}'
    expect(problemsOf(text)).toEqual(['app: written twice (first at line 2); JSON keeps only the last'])
  })

  it('reports every problem at once, in file order', () => {
    const config = {
      app: 'shop',
      region: 'us-east-1',
      stacks: {
        orders: {
          tasks: { processOrder: { consumer: './src/missing.ts', retryAttempts: 3 }, sendReceipt: { consumer: { code: './r.ts', timeout: '1 hour' } } },
        },
      },
    }
    expect(problemsOf(config)).toEqual([
      `${TASK}.consumer: handler file "./src/missing.ts" not found (resolved to /project/src/missing.ts)`,
      `${TASK}.retryAttempts: must be an integer from 0 to 2, got 3`,
      'stacks.orders.tasks.sendReceipt.consumer.timeout: must be from 1 second to 15 minutes, got "1 hour"',
    ])
  })

  it('reports 40,000 unknown keys, each with its line, without scanning the file once per problem', () => {
    const config = minimalConfig(Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`extra${i}`, i])))
    const problems = problemsWithLines(config)
    expect(problems).toHaveLength(40_000)
    expect(problems[0]).toBe(
      'extra0: unknown key "extra0" (expected one of: $schema, app, region, defaults, onFailure, client, backend, topics, payloads, stacks) at line 11',
    )
    expect(problems[39_999]).toMatch(/^extra39999: unknown key "extra39999" .* at line 40010$/)
    // No timing assertion: reporting these took 37 s when each position was found by scanning from the start, past the test's timeout; about 1 s now.
  }, 20_000)

  it('refuses a stage that cannot be part of a resource name', () => {
    expect(problemsOf(minimalConfig(), { stage: 'Prod_1' })).toEqual([
      'stage: the stage name must be lowercase letters and digits, words joined by single hyphens, starting with a letter, got "Prod_1"',
    ])
  })

  it('checks derived names with the stage', () => {
    const config = minimalConfig({ app: 'shop', stacks: { orders: { tasks: { processOrderAndReserveTheStockInEveryWarehouse: './a.ts' } } } })
    expect(problemsOf(config)).toEqual([])
    expect(problemsOf(config, { stage: 'production-eu' })[0]).toContain(
      '"shop-production-eu-orders-processOrderAndReserveTheStockInEveryWarehouse" (stage "production-eu") is 72 characters',
    )
  })
})

const everyOption = (): Record<string, unknown> => ({
  ...(JSON.parse(readFileSync(new URL('every-option.json', VALID_DIR), 'utf8')) as Record<string, unknown>),
  backend: { s3: { bucket: 'media-state', keyPrefix: 'state/', region: 'eu-central-1', lockTable: 'locks' } },
})

/** The path of every object in a JSON value, the value itself first. */
function objectPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...path, i]))
  if (typeof value !== 'object' || value === null) return []
  return [path, ...Object.entries(value).flatMap(([key, inner]) => objectPaths(inner, [...path, key]))]
}

/** A copy of `config` with an own key "__proto__" (as JSON text would have it) in the object at `path`. */
function withProtoKeyAt(config: unknown, path: (string | number)[]): string {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, unknown>
  const target = path.reduce<Record<string | number, unknown>>((object, key) => object[key] as Record<string | number, unknown>, copy)
  Object.defineProperty(target, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true })
  return JSON.stringify(copy, null, 2)
}

describe('a key named "__proto__"', () => {
  it.each([
    ['stacks', ['stacks'], 'stacks.__proto__: a stack name must start with a letter and contain only letters, digits and underscores, got "__proto__"'],
    [
      'tasks',
      ['stacks', 'images', 'tasks'],
      'stacks.images.tasks.__proto__: a task name must start with a letter and contain only letters, digits and underscores, got "__proto__"',
    ],
    [
      "a task's environment",
      ['stacks', 'images', 'tasks', 'resize', 'consumer', 'environment'],
      'stacks.images.tasks.resize.consumer.environment.__proto__: an environment variable name must start with a letter and contain only letters, digits and underscores, got "__proto__"',
    ],
    [
      'the default environment',
      ['defaults', 'function', 'environment'],
      'defaults.function.environment.__proto__: an environment variable name must start with a letter and contain only letters, digits and underscores, got "__proto__"',
    ],
  ])('in %s is reported like any bad name (zod would drop it without a word)', (_name, path, expected) => {
    expect(problemsOf(withProtoKeyAt(everyOption(), path))).toEqual([expected])
  })

  it("in a schedule's free JSON payload, at any depth (JSON.parse keeps it; a handler's object could not)", () => {
    const config = minimalConfig({ stacks: { s: { tasks: { t: { consumer: './a.ts', schedule: { rate: '1 hour', payload: { a: [{ b: {} }] } } } } } } })
    expect(problemsOf(config)).toEqual([])
    expect(problemsOf(withProtoKeyAt(config, ['stacks', 's', 'tasks', 't', 'schedule', 'payload', 'a', 0, 'b']))).toEqual([
      'stacks.s.tasks.t.schedule.payload.a[0].b.__proto__: the name "__proto__" cannot be used here',
    ])
  })

  it('is reported in every object of the config, and pollutes no prototype', () => {
    const config = everyOption()
    expect(problemsOf(config)).toEqual([])
    const paths = objectPaths(config)
    expect(paths.length).toBeGreaterThanOrEqual(20)
    for (const path of paths) {
      const problems = problemsOf(withProtoKeyAt(config, path))
      const at = formatPath([...path, '__proto__'])
      expect(
        problems.filter((p) => p.startsWith(`${at}: `)),
        `at ${at}: ${problems.join('; ')}`,
      ).toHaveLength(1)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('environment values', () => {
  const SECRET = 'sk_live_51Hx9SECRETvalue'
  const withEnvironment = (environment: unknown) => withFunction({ environment })

  it.each([
    ['a number', { API_KEY: 4242424242 }, '4242424242', `${F}.environment.API_KEY: an environment value must be a string in quotes, got a number`],
    ['a boolean', { API_KEY: true }, undefined, `${F}.environment.API_KEY: an environment value must be a string in quotes, got a boolean`],
    ['null', { API_KEY: null }, undefined, `${F}.environment.API_KEY: an environment value must be a string in quotes, got null`],
    ['a list', { API_KEY: [SECRET] }, SECRET, `${F}.environment.API_KEY: an environment value must be a string in quotes, got a list`],
    ['an object', { API_KEY: { value: SECRET } }, SECRET, `${F}.environment.API_KEY: an environment value must be a string in quotes, got an object`],
    [
      'a string instead of the object',
      `API_KEY=${SECRET}`,
      SECRET,
      `${F}.environment: must be an object of environment variables { "NAME": "value" }, got a string`,
    ],
    [
      'a list instead of the object',
      [`API_KEY=${SECRET}`],
      SECRET,
      `${F}.environment: must be an object of environment variables { "NAME": "value" }, got a list`,
    ],
  ])('of the wrong type (%s) are named by key and type, never shown', (_name, environment, shown, expected) => {
    const problems = problemsOf(withEnvironment(environment))
    expect(problems).toEqual([expected])
    if (shown !== undefined) expect(problems.join('\n')).not.toContain(shown)
  })
})

describe('the S3 backend', () => {
  const withBackend = (s3: Record<string, unknown>) => minimalConfig({ backend: { s3: { bucket: 'media-state', ...s3 } } })

  it("takes a key prefix of S3's safe characters and a DynamoDB table name", () => {
    expect(problemsOf(withBackend({ keyPrefix: 'team-a/state_1/', lockTable: 'tf.locks-1' }))).toEqual([])
  })

  it.each([
    ['a Terraform template', '${file("/etc/passwd")}/'],
    ['a directive', '%{ if true }x%{ endif }'],
    ['a leading slash', '/state/'],
    ['a space', 'my state/'],
  ])('refuses a key prefix with %s', (_, keyPrefix) => {
    expect(problemsOf(withBackend({ keyPrefix }))).toEqual([expect.stringContaining('backend.s3.keyPrefix: must be an S3 key prefix')])
  })

  it('refuses a lock table that is no DynamoDB table name', () => {
    expect(problemsOf(withBackend({ lockTable: '${var.x}' }))).toEqual([expect.stringContaining('backend.s3.lockTable: must be a DynamoDB table name')])
  })
})
