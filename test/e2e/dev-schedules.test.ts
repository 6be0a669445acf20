import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startDev, type DevProcess } from '../helpers/dev-process.js'
import { runBinAsync } from '../helpers/run-cli.js'
import { SCHEDULED_CONFIG, writeScheduledProject } from '../helpers/schedule-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const running: DevProcess[] = []
afterAll(async () => {
  for (const dev of running) await dev.stop()
  removeTempDirs()
})

/** The scheduled app with a schedule every minute, beside a cron in Amsterdam and a paused one. */
function project(): string {
  const dir = tempDir('dev-schedules')
  const nightly = SCHEDULED_CONFIG.stacks.jobs.tasks.nightly
  const schedule = [{ rate: '1 minute', payload: { kind: 'daily', note: 'every minute' } }, ...nightly.schedule]
  const broken = { consumer: './src/broken.ts', retryAttempts: 0, schedule: { rate: '1 minute', payload: { id: 'b-1' } } }
  writeScheduledProject(dir, {
    ...SCHEDULED_CONFIG,
    stacks: { jobs: { tasks: { ...SCHEDULED_CONFIG.stacks.jobs.tasks, nightly: { ...nightly, schedule }, broken } } },
  })
  writeFileSync(join(dir, 'src/broken.ts'), 'export default async function broken(job: { id: string }) {\n  throw new Error(`cannot run ${job.id}`)\n}\n')
  return dir
}

async function dev(dir: string, args: string[]): Promise<DevProcess> {
  const started = await startDev(dir, args)
  running.push(started)
  return started
}

describe('schedules in task-gen dev', () => {
  it('shows each schedule with its next firing at start, and a "1 minute" rate fires with its payload as an async invoke', async () => {
    const server = await dev(project(), ['--schedule-speed', '60'])
    await server.waitFor(/paused \(enabled: false\)$/)
    const shown = server.lines.filter((l) => l.startsWith('schedule    jobs.nightly '))
    expect(shown).toEqual([
      expect.stringMatching(
        /^schedule {4}jobs\.nightly rate\(1 minute\) \(stacks\.jobs\.tasks\.nightly\.schedule\[0\]\): next \d{4}-\d\d-\d\d \d\d:\d\d UTC \(schedule clock at 60x\)$/,
      ),
      expect.stringMatching(
        /^schedule {4}jobs\.nightly cron\(0 3 \* \* \? \*\) Europe\/Amsterdam \(stacks\.jobs\.tasks\.nightly\.schedule\[1\]\): next \d{4}-\d\d-\d\d 03:00 Europe\/Amsterdam \(schedule clock at 60x\)$/,
      ),
      'schedule    jobs.nightly rate(1 hour) (stacks.jobs.tasks.nightly.schedule[2]): paused (enabled: false)',
    ])
    const fired = await server.waitFor(/^schedule {4}jobs\.nightly rate\(1 minute\) \(stacks\.jobs\.tasks\.nightly\.schedule\[0\]\) fired: [0-9a-f-]{36}$/, {
      timeoutMs: 60_000,
    })
    const requestId = fired.split(': ').at(-1)!
    await server.waitFor((l) => l === 'jobs.nightly | {"ran":{"kind":"daily","note":"every minute"}}')
    const attempt = await server.waitFor((l) => l.startsWith('jobs.nightly  attempt 1/2') && l.includes(requestId))
    expect(attempt).toMatch(/success$/)
    // The rate keeps firing: a second, distinct delivery.
    await server.waitFor((l) => l.includes('schedule[0]) fired: ') && l !== fired, { timeoutMs: 60_000 })
    // Nothing went wrong; the one line allowed is the note that the host's Node.js is not the tasks' runtime.
    const lines = server
      .stderr()
      .split('\n')
      .filter((line) => line !== '')
    expect(lines.filter((line) => !/^task-gen dev: warning: .* deploy to nodejs\d+\.x, but dev runs them on the Node\.js it runs on/.test(line))).toEqual([])
  }, 180_000)

  it("a scheduled run that fails leaves a failure record that decodes to the task's typed payload", async () => {
    const dir = project()
    const server = await dev(dir, ['--schedule-speed', '60'])
    await server.waitFor((l) => l.startsWith('jobs.broken  failed (RetriesExhausted)'), { timeoutMs: 60_000 })
    const listed = await runBinAsync(['failures', 'list', '--local', '--json', '--task', 'broken'], { cwd: dir })
    expect(listed.code, listed.stderr).toBe(0)
    const failures = JSON.parse(listed.stdout) as {
      failure: { stack: string; task: string; condition: string; payload: unknown; error: { message: string } }
    }[]
    expect(failures.length).toBeGreaterThanOrEqual(1)
    for (const { failure } of failures) {
      expect(failure).toMatchObject({
        stack: 'jobs',
        task: 'broken',
        condition: 'RetriesExhausted',
        payload: { id: 'b-1' },
        error: { message: 'cannot run b-1' },
      })
    }
  }, 180_000)

  it('--schedule-speed takes a number from 1 up; anything else is bad usage', async () => {
    for (const speed of ['0', 'fast', '0.5']) {
      const result = await runBinAsync(['dev', '--schedule-speed', speed], { cwd: tempDir('dev-schedule-speed') })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`--schedule-speed: expected a number from 1 to 1000000, got "${speed}"`)
    }
  })

  it('--no-schedules starts none of them, and says so', async () => {
    const server = await dev(project(), ['--no-schedules'])
    await server.waitFor(/^schedules {3}off/)
    expect(server.lines.filter((l) => l.startsWith('schedule'))).toEqual(['schedules   off (--no-schedules): 4 schedule(s) will not fire'])
  }, 120_000)
})
