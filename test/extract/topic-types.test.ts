import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../generator/cli/main.js'
import { writeProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

const EVENTS = `export interface OrderPlaced { orderId: string; total: number; customer: { email: string } }
`
const ACCEPTS = `import type { OrderPlaced } from './events.js'
export default async function sendEmail(event: OrderPlaced) {}
`
// Takes less than the topic carries: every OrderPlaced is one of these.
const NARROWER = `export default async function reserveStock(event: { orderId: string }) {}
`
const WRONG_TOTAL = `export default async function bill(event: { orderId: string; total: string }) {}
`
const WRONG_NESTED = `export default async function notify(event: { orderId: string; customer: { email: string; phone: string } }) {}
`

async function run(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

function project(topic: Record<string, unknown>, handlers: Record<string, string>): string {
  const dir = tempDir('topic-types')
  const tasks = Object.fromEntries(Object.keys(handlers).map((name) => [name, { consumer: `./src/${name}.ts`, subscribe: ['orderPlaced'] }]))
  const config = { app: 'shop', region: 'us-east-1', topics: { orderPlaced: topic }, stacks: { orders: { tasks } } }
  return writeProject(dir, config, { 'src/events.ts': EVENTS, ...Object.fromEntries(Object.entries(handlers).map(([name, text]) => [`src/${name}.ts`, text])) })
}

/** Problems as `<message> (<file>:<line>)`, the file by its base name. */
function lines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('task-gen check: '))
    .map((line) => line.replace(/ \(\S*\/([^/\s]+):(\d+):\d+\)$/, ' ($1:$2)'))
}

describe("a topic's subscribers must accept its type", () => {
  it('check accepts subscribers whose types take every payload of the topic', async () => {
    const result = await run(['check', '--config', project({ type: './src/events.ts#OrderPlaced' }, { sendEmail: ACCEPTS, reserveStock: NARROWER })])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it("check names the topic, the subscriber and the first property that differs, at the handler's line, for every subscriber at once", async () => {
    const result = await run([
      'check',
      '--config',
      project({ type: './src/events.ts#OrderPlaced' }, { sendEmail: ACCEPTS, bill: WRONG_TOTAL, notify: WRONG_NESTED }),
    ])
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toEqual([
      'stacks.orders.tasks.bill.subscribe: orders.bill subscribes to the topic "orderPlaced" but its payload type does not accept the topic\'s (./src/events.ts#OrderPlaced): "total" is number in the topic\'s type, but the handler takes string (bill.ts:1)',
      'stacks.orders.tasks.notify.subscribe: orders.notify subscribes to the topic "orderPlaced" but its payload type does not accept the topic\'s (./src/events.ts#OrderPlaced): "customer.phone" is missing from the topic\'s type, and the handler requires it (string) (notify.ts:1)',
    ])
  })

  it("without a type, the first subscriber's type is the topic's and the others must accept it", async () => {
    const ok = await run(['check', '--config', project({}, { sendEmail: ACCEPTS, reserveStock: NARROWER })])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    const result = await run(['check', '--config', project({}, { reserveStock: NARROWER, sendEmail: ACCEPTS })])
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toEqual([
      'stacks.orders.tasks.sendEmail.subscribe: orders.sendEmail subscribes to the topic "orderPlaced" but its payload type does not accept the topic\'s (the payload type of its first subscriber orders.reserveStock): "total" is missing from the topic\'s type, and the handler requires it (number) (sendEmail.ts:2)',
    ])
  })

  it('a type the file does not export is a problem at the topic', async () => {
    const result = await run(['check', '--config', project({ type: './src/events.ts#OrderPlacd' }, { sendEmail: ACCEPTS })])
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toEqual([
      'topics.orderPlaced.type: events.ts exports no type named "OrderPlacd" (its exported types: OrderPlaced) (events.ts:1)',
    ])
  })
})
