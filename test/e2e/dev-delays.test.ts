import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { createTaskClient } from '../../runtime/client/index.js'
import { writeProject } from '../helpers/client-project.js'
import { startDev, type DevProcess } from '../helpers/dev-process.js'
import { generateInRepo } from '../helpers/generated-shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

const running: DevProcess[] = []
afterAll(async () => {
  for (const dev of running) await dev.stop()
  removeTempDirs()
})

describe('delayed calls in task-gen dev, made by the unchanged generated client', () => {
  it('a delayed call waits its delay (at --delay-speed) before it runs, and not less; its schedule is created in the stack group', async () => {
    const dir = tempDir('dev-delays')
    writeProject(
      dir,
      { app: 'shop', region: 'us-east-1', stacks: { mail: { tasks: { remind: { consumer: './src/remind.ts', delay: true } } } } },
      {
        'src/remind.ts':
          'export default async function remind(note: { to: string }) {\n  console.log(JSON.stringify({ reminded: note.to, at: Date.now() }))\n}\n',
      },
    )
    // 30 times faster: "1 minute" waits 2 seconds.
    const server = await startDev(dir, ['--delay-speed', '30'])
    running.push(server)
    const generated = await generateInRepo(join(dir, 'task-gen.json'), 'dev-delays')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, { AWS_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: 'dev', AWS_SECRET_ACCESS_KEY: 'dev', AWS_REGION: 'us-east-1' })
      delete process.env.TASK_GEN_STAGE
      const { Task } = await generated.load<{ Task: ReturnType<typeof createTaskClient> }>()
      const sentAt = Date.now()
      const accepted = await Task.mail!.remind!({ to: 'ada' }, { delay: '1 minute' })
      expect(accepted.schedule).toMatchObject({
        arn: expect.stringMatching(/^arn:aws:scheduler:us-east-1:000000000000:schedule\/shop-dev-mail\/delay-[0-9a-f-]{36}$/),
      })
      const ran = await server.waitFor((l) => l.startsWith('mail.remind | {"reminded":"ada"'), { timeoutMs: 20_000 })
      const at = (JSON.parse(ran.slice('mail.remind | '.length)) as { at: number }).at
      expect(at - sentAt).toBeGreaterThanOrEqual(1900)
      expect(server.lines.some((l) => /^delay {7}shop-dev-mail\/delay-[0-9a-f-]{36} fired: [0-9a-f-]{36}$/.test(l))).toBe(true)
      expect(server.lines.filter((l) => l.startsWith('mail.remind | '))).toHaveLength(1)
    } finally {
      process.env = saved
      generated.remove()
    }
  }, 90_000)

  it("a queue task's call delayed beyond SQS's 15 minutes waits its delay (at --delay-speed) in a schedule, then arrives as a message on the task's queue", async () => {
    const dir = tempDir('dev-queue-delays')
    writeProject(
      dir,
      { app: 'shop', region: 'us-east-1', stacks: { work: { tasks: { jobs: { consumer: './src/jobs.ts', queue: {}, delay: true } } } } },
      {
        'src/jobs.ts': 'export default async function jobs(job: { id: string }) {\n  console.log(JSON.stringify({ job: job.id, at: Date.now() }))\n}\n',
      },
    )
    // 600 times faster: "20 minutes" waits 2 seconds.
    const server = await startDev(dir, ['--delay-speed', '600'])
    running.push(server)
    const generated = await generateInRepo(join(dir, 'task-gen.json'), 'dev-queue-delays')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, { AWS_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: 'dev', AWS_SECRET_ACCESS_KEY: 'dev', AWS_REGION: 'us-east-1' })
      delete process.env.TASK_GEN_STAGE
      const { Task } = await generated.load<{ Task: ReturnType<typeof createTaskClient> }>()
      const sentAt = Date.now()
      const accepted = await Task.work!.jobs!({ id: 'late' }, { delay: '20 minutes' })
      expect(accepted.messageId).toBeUndefined()
      expect(accepted.schedule).toMatchObject({
        arn: expect.stringMatching(/^arn:aws:scheduler:us-east-1:000000000000:schedule\/shop-dev-work\/delay-[0-9a-f-]{36}$/),
      })
      // Not before its delay: a second later nothing has run.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      expect(server.lines.filter((l) => l.startsWith('work.jobs | '))).toEqual([])
      const ran = await server.waitFor((l) => l.startsWith('work.jobs | {"job":"late"'), { timeoutMs: 20_000 })
      const at = (JSON.parse(ran.slice('work.jobs | '.length)) as { at: number }).at
      expect(at - sentAt).toBeGreaterThanOrEqual(1900)
      expect(server.lines.some((l) => /^delay {7}shop-dev-work\/delay-[0-9a-f-]{36} fired: [0-9a-f-]{36}$/.test(l))).toBe(true)
      expect(server.lines.filter((l) => l.startsWith('work.jobs | '))).toHaveLength(1)
    } finally {
      process.env = saved
      generated.remove()
    }
  }, 90_000)
})
