import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatProblem } from '../../generator/errors/format-problems.js'
import { UserError } from '../../generator/errors/problem.js'
import { buildClient, writeClient, type GeneratedClient } from '../../generator/generate.js'
import { installRealTypes, installStripe20 } from '../helpers/real-types.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { runTsc } from '../helpers/tsc.js'

/** An app of one stack `rt` whose tasks take the Stripe types given, beside the node_modules given. */
function writeStripeApp(root: string, nodeModules: string, payloads: Record<string, string>): string {
  mkdirSync(join(root, 'src'), { recursive: true })
  symlinkSync(nodeModules, join(root, 'node_modules'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'stripe-app', private: true, type: 'module' }))
  const tasks: Record<string, string> = {}
  for (const [task, type] of Object.entries(payloads)) {
    writeFileSync(
      join(root, 'src', `${task}.ts`),
      `import type Stripe from 'stripe'\n\nexport default async function (payload: ${type}): Promise<void> {\n  void payload\n}\n`,
    )
    tasks[task] = `./src/${task}.ts`
  }
  const config = join(root, 'task-gen.json')
  writeFileSync(config, JSON.stringify({ app: 'rt', region: 'us-east-1', client: { name: 'stripe-client' }, stacks: { rt: { tasks } } }, null, 2))
  return config
}

async function problemsOf(config: string): Promise<string[]> {
  try {
    await buildClient({ configFile: config, out: join(config, '..', 'client') })
  } catch (error) {
    if (error instanceof UserError) return error.problems.map((p) => formatProblem(p, join(config, '..')))
    throw error
  }
  return []
}

afterAll(removeTempDirs)

describe('Stripe 23: a Decimal field', () => {
  it('is one problem per task, at its shortest path, placed at the handler with Stripe’s place second', async () => {
    const config = writeStripeApp(tempDir('stripe-23'), installRealTypes(), { price: 'Stripe.Price', product: 'Stripe.Product' })
    const problems = await problemsOf(config)
    const decimal = 'is Decimal, an instance of class DecimalImpl, which arrives as a plain object without its methods; use an interface'
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(
      new RegExp(
        `^stacks\\.rt\\.tasks\\.price: payload\\.unit_amount_decimal ${decimal} \\(in \\S*node_modules/stripe/esm/resources/Prices\\.d\\.ts:\\d+:\\d+\\) \\(src/price\\.ts:3:\\d+\\)$`,
      ),
    )
    expect(problems[1]).toMatch(
      new RegExp(
        `^stacks\\.rt\\.tasks\\.product: payload\\.default_price\\.unit_amount_decimal ${decimal} \\(in \\S*node_modules/stripe/esm/resources/Prices\\.d\\.ts:\\d+:\\d+\\) \\(src/product\\.ts:3:\\d+\\)$`,
      ),
    )
  }, 180_000)
})

/** A `balance.available` event as Stripe's documentation shows one. */
const BALANCE_AVAILABLE = {
  id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
  object: 'event',
  api_version: '2022-11-15',
  created: 1686089970,
  data: {
    object: {
      object: 'balance',
      available: [{ amount: 2217713, currency: 'usd', source_types: { bank_account: 0, card: 2217713 } }],
      livemode: false,
      pending: [{ amount: 0, currency: 'usd', source_types: { bank_account: 0, card: 0 } }],
    },
  },
  livemode: false,
  pending_webhooks: 0,
  request: { id: null, idempotency_key: null },
  type: 'balance.available',
}

/** A strict consumer of the client alone, its declarations checked (no skipLibCheck), and one that compares the payload with Stripe's own. */
const TSCONFIG = (file: string, extra: object) =>
  JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: [], noEmit: true, ...extra },
    files: [file],
  })

describe('Stripe 20: Stripe.Event', () => {
  let client: GeneratedClient
  let consumer: string
  let validatePayload: (stack: string, task: string, payload: unknown) => { path: string; message: string }[]

  beforeAll(async () => {
    const root = tempDir('stripe-20')
    const config = writeStripeApp(join(root, 'project'), installStripe20(), { event: 'Stripe.Event' })
    consumer = join(root, 'consumer')
    client = await buildClient({ configFile: config, out: join(consumer, 'node_modules', 'stripe-client') })
    await writeClient(client)
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    writeFileSync(join(consumer, 'tsconfig.json'), TSCONFIG('uses-client.ts', {}))
    writeFileSync(join(consumer, 'uses-client.ts'), "import { Task } from 'stripe-client'\nexport const tasks = Object.keys(Task.rt)\n")
    writeFileSync(
      join(consumer, 'tsconfig.assignability.json'),
      TSCONFIG('assignability.ts', { allowImportingTsExtensions: true, skipLibCheck: true, lib: ['es2023', 'dom'] }),
    )
    writeFileSync(
      join(consumer, 'assignability.ts'),
      [
        "import { Task } from 'stripe-client'",
        'type Generated = Parameters<typeof Task.rt.event>[0]',
        "type Original = Parameters<typeof import('../project/src/event.ts').default>[0]",
        'export const toOriginal = (p: Generated): Original => p',
        'export const toGenerated = (p: Original): Generated => p',
      ].join('\n'),
    )
    mkdirSync(join(root, 'node_modules'), { recursive: true })
    symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(root, 'node_modules', '@aws-sdk'))
    ;({ validatePayload } = await import(pathToFileURL(join(client.outDir, 'index.js')).href))
  }, 300_000)

  it('generates a client that compiles under tsc --strict, its payload assignable both ways with Stripe’s', () => {
    expect(runTsc(consumer)).toEqual({ code: 0, output: '' })
    expect(runTsc(join(consumer, 'tsconfig.assignability.json'))).toEqual({ code: 0, output: '' })
  }, 300_000)

  it('validates a documented event and refuses a mutation of it at its path', () => {
    expect(validatePayload('rt', 'event', BALANCE_AVAILABLE)).toEqual([])
    const mutated = { ...BALANCE_AVAILABLE, data: { object: { ...BALANCE_AVAILABLE.data.object, livemode: 'no' } } }
    expect(validatePayload('rt', 'event', mutated).map((issue) => issue.path)).toContain('payload.data.object.livemode')
  })

  it('names Stripe’s types that share a name by their namespace, never by a number, and emits each structure once', () => {
    const declared = client.extraction.declarations.map((d) => /^export (?:type|interface|declare enum) (\w+)/m.exec(d)![1]!)
    expect(declared.filter((name) => /_\d+$/.test(name))).toEqual([])
    expect(declared).toEqual(expect.arrayContaining(['Charge_Status', 'Invoice_Status', 'Event_Data', 'BalanceAvailableEvent_Data']))
    const status = client.extraction.declarations.find((d) => d.endsWith("\nexport type Charge_Status = 'failed' | 'pending' | 'succeeded';"))
    expect(status).toMatch(
      /^\/\*\*\n \* task-gen: Stripe\.Charge\.Status \(stripe\/types\/Charges\.d\.ts\)\.\n \*\n \* From stripe\/types\/Charges\.d\.ts:\d+\n \*\/\n/,
    )
    const aliases = client.extraction.declarations.filter((d) => /^export type \w+ = \w+$/m.test(d))
    expect(aliases.length).toBeGreaterThan(500)
    const bodies = client.extraction.declarations.map((d) => d.replace(/^[\s\S]*?^export (?:type|interface) \w+/m, ''))
    expect(new Set(bodies.filter((b) => !/^ = \w+$/.test(b))).size).toBe(bodies.filter((b) => !/^ = \w+$/.test(b)).length)
  })
})
