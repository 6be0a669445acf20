import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLambdaServer, type LambdaTestServer } from '../helpers/lambda-server.js'
import { README, readmeCommand } from '../helpers/readme.js'
import { BIN, runAsync } from '../helpers/run-cli.js'
import { copyRepoExample } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'
import { runTsc } from '../helpers/tsc.js'

describe('the example application gets the client as the README says, and its calls reach Lambda', () => {
  let root: string
  let shop: string
  let lambda: LambdaTestServer

  beforeAll(async () => {
    ;({ root, shop } = copyRepoExample('example-app'))
    execFileSync(process.execPath, [BIN, 'generate', '--config', 'examples/shop/task-gen.json'], { cwd: root, stdio: 'pipe' })
    // The README's command as written; npm may use the packages `npm ci` of this checkout cached.
    const install = spawnSync('sh', ['-c', readmeCommand('cd examples/shop && npm install').command], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    })
    expect(install.status, `${install.stdout}${install.stderr}`).toBe(0)
    lambda = await startLambdaServer()
  }, 180_000)

  afterAll(async () => {
    await lambda?.close()
    removeTempDirs()
  })

  it("the README shows the application's code as it is", () => {
    for (const file of ['app/place-order.ts', 'app/order-events.ts'])
      expect(README, file).toContain(`\`\`\`ts\n${readFileSync(join(shop, file), 'utf8')}\`\`\``)
  })

  it('type-checks under strict NodeNext with the package resolved from the workspace', () => {
    expect(runTsc(join(shop, 'app'))).toEqual({ code: 0, output: '' })
  }, 60_000)

  it("runs: each call is an Event invoke of the task's function, with its payload", async () => {
    // Not spawnSync: the Lambda server answers from this process.
    const run = await runAsync(process.execPath, [join(shop, 'dist/app/place-order.js')], {
      cwd: shop,
      env: { ...process.env, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' },
    })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe('')
    expect(lambda.requests.map((r) => [r.functionName, r.headers['x-amz-invocation-type'], JSON.parse(r.body || 'null')])).toEqual([
      ['shop-dev-orders-processOrder', 'Event', { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }], priority: 'high' }],
      ['shop-dev-reports-cleanupExports', 'Event', null],
      ['shop-dev-orders-processOrder', 'Event', { orderId: '123', customerId: '456', items: [{ productId: 'abc', quantity: 2 }], priority: 'high' }],
    ])
  }, 60_000)
})
