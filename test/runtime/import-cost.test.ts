import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildClient, writeClient } from '../../generator/generate.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

describe('importing the client package', () => {
  it('does not load the AWS SDK: it imports where the SDK is not installed, and only a call needs it', async () => {
    const out = join(tempDir('no-sdk'), 'tasks')
    const generated = await buildClient({ configFile: join(copyShop('no-sdk'), 'task-gen.json'), out })
    await writeClient(generated)
    const script = [
      `const { Task } = await import(${JSON.stringify(join(out, 'index.js'))})`,
      "console.log(Object.keys(Task).join(','))",
      "try { await Task.reports.cleanupExports() } catch (error) { console.log(error.name, error.code, String(error.cause?.code ?? error.cause?.message)) }",
    ].join('\n')
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: out, encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.stdout.split('\n')).toEqual(['orders,reports', 'TaskInvokeError INVOKE_FAILED ERR_MODULE_NOT_FOUND', ''])
  })
})
