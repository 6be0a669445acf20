import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildClient, writeClient } from '../../generator/generate.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { writeTopicProject } from '../helpers/topic-project.js'

afterAll(removeTempDirs)

/** Generates the client of `configFile` where no SDK is installed, and runs `lines` after importing its index as `client`; its output lines. */
async function runWithoutSdk(name: string, configFile: string, lines: string[]): Promise<string[]> {
  const out = join(tempDir(name), 'tasks')
  await writeClient(await buildClient({ configFile, out }))
  const script = [`const client = await import(${JSON.stringify(join(out, 'index.js'))})`, ...lines].join('\n')
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: out, encoding: 'utf8' })
  expect(run.stderr).toBe('')
  return run.stdout.split('\n')
}

describe('importing the client package', () => {
  it('does not load the AWS SDK: it imports where the SDK is not installed, and only a call needs it', async () => {
    const output = await runWithoutSdk('no-sdk', join(copyShop('no-sdk'), 'task-gen.json'), [
      "console.log(Object.keys(client.Task).join(','))",
      'try { await client.Task.reports.cleanupExports() } catch (error) { console.log(error.name, error.code, String(error.cause?.code ?? error.cause?.message)) }',
    ])
    expect(output).toEqual(['orders,reports', 'TaskInvokeError INVOKE_FAILED ERR_MODULE_NOT_FOUND', ''])
  })

  it("with topics, loads neither SDK: a publish needs only SNS's, and loads it then", async () => {
    const output = await runWithoutSdk('no-sdk-topics', writeTopicProject(tempDir('no-sdk-topic-app')), [
      "console.log(Object.keys(client.Task).join(','), Object.keys(client.Topic).join(','))",
      "try { await client.Topic.orderPlaced.publish({ orderId: '1', total: 2 }) } catch (error) { console.log(error.name, error.code, String(error.cause?.code), /client-sns/.test(error.message)) }",
    ])
    expect(output).toEqual(['orders,shipping orderPlaced', 'TopicPublishError PUBLISH_FAILED ERR_MODULE_NOT_FOUND true', ''])
  })
})
