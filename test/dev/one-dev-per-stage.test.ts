import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startDev, type DevProcess } from '../helpers/dev-process.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs } from '../helpers/temp.js'

const running: DevProcess[] = []
afterAll(async () => {
  await Promise.all(running.map((dev) => dev.stop()))
  removeTempDirs()
})

async function dev(shop: string, args: string[] = []): Promise<DevProcess> {
  const started = await startDev(shop, args)
  running.push(started)
  return started
}

function serverFile(shop: string, stage = 'dev'): { endpoint: string; pid: number } {
  return JSON.parse(readFileSync(join(shop, `.task-gen/dev/server-${stage}.json`), 'utf8'))
}

/** `failures replay --local` finds the dev it talks to through the server file: the check that matters to a user. */
const replayLocal = (shop: string, stage = 'dev') => runBinAsync(['failures', 'replay', '--local', '--stage', stage], { cwd: shop })

/** The stderr of a dev that was refused; a dev that serves instead fails the test (and is stopped with the others). */
async function refusedDev(shop: string): Promise<string> {
  try {
    await dev(shop)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('a second task-gen dev for the same config and stage started serving')
}

describe('one task-gen dev per config and stage', () => {
  it('refuses a second dev, naming the running one; stopping the refused one first leaves the first one found', async () => {
    const shop = copyShop('dev-twice')
    const first = await dev(shop)
    const { pid } = serverFile(shop)
    const refused = await refusedDev(shop)
    expect(refused).toMatch(/^task-gen dev exited with 1:/)
    expect(refused).toContain(
      `task-gen dev: already running for task-gen.json, stage "dev" (at ${first.endpoint}, pid ${pid}); stop it first, or use another --stage`,
    )
    // The refused dev is gone; the first one's file stays and still leads to it.
    expect(serverFile(shop).endpoint).toBe(first.endpoint)
    const replay = await replayLocal(shop)
    expect(replay.stderr).not.toContain('not running')
    expect(replay).toMatchObject({ code: 0, stdout: 'replayed 0, failed 0, skipped 0\n' })
    await first.stop()
    expect((await replayLocal(shop)).stderr).toContain('--local replays through `task-gen dev`, and it is not running')
  }, 120_000)

  it('stopping the first dev first frees the stage for the next one, which is then found', async () => {
    const shop = copyShop('dev-after')
    const first = await dev(shop)
    expect(await refusedDev(shop)).toContain('already running')
    await first.stop()
    const next = await dev(shop)
    expect(next.endpoint).not.toBe('')
    expect(serverFile(shop).endpoint).toBe(next.endpoint)
    expect((await replayLocal(shop)).code).toBe(0)
  }, 120_000)

  it('a dev killed without cleaning up does not hold the stage, and another stage runs beside it', async () => {
    const shop = copyShop('dev-stages')
    const killed = await startDev(shop)
    const { pid } = serverFile(shop)
    process.kill(pid, 'SIGKILL')
    await killed.stop()
    const next = await dev(shop)
    const other = await dev(shop, ['--stage', 'qa'])
    expect(serverFile(shop).endpoint).toBe(next.endpoint)
    expect(serverFile(shop, 'qa').endpoint).toBe(other.endpoint)
    expect((await replayLocal(shop, 'qa')).code).toBe(0)
  }, 120_000)
})
