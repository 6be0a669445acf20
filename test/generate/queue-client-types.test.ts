import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateInto, typeCheckConsumer, type ClientProject } from '../helpers/client-project.js'
import { writeQueueProject } from '../helpers/queue-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

describe("a generated client's queue tasks, typed by their queue", () => {
  let project: ClientProject

  beforeAll(async () => {
    const root = tempDir('queue-client-types')
    project = await generateInto(root, writeQueueProject(`${root}/project`))
  }, 60_000)

  it('a FIFO task needs its group, a standard one takes an SQS client and a delay, neither takes what the other does', () => {
    const source = [
      "import { Task, type SqsClientLike } from 'client'",
      'declare const sqs: SqsClientLike',
      "export const a = () => Task.work.ordered({ n: 1 }, { groupId: 'g', deduplicationId: 'd' })",
      "export const b = () => Task.work.ordered.batch([{ n: 1 }], { groupId: 'g', concurrency: 2 })",
      "export const c = () => Task.work.process({ id: 'j' }, { client: sqs, delay: '5 minutes' })",
      '// @ts-expect-error a FIFO call names its group',
      'export const d = () => Task.work.ordered({ n: 1 })',
      '// @ts-expect-error a batch deduplicates by content',
      "export const e = () => Task.work.ordered.batch([{ n: 1 }], { groupId: 'g', deduplicationId: 'd' })",
      '// @ts-expect-error a standard queue has no groups',
      "export const f = () => Task.work.process({ id: 'j' }, { groupId: 'g' })",
      "export const g = () => Task.work.process({ id: 'j' }).then((accepted) => accepted.messageId)",
    ].join('\n')
    expect(typeCheckConsumer(project, source)).toEqual({ code: 0, output: '' })
    expect(project.files.get('index.d.ts')).toContain('readonly ordered: FifoTaskInvoker<{ n: number }>')
    expect(project.files.get('index.d.ts')).toContain('readonly process: TaskInvoker<{ id: string; fail?: boolean }, TaskQueueCallOptions>')
  }, 60_000)

  it('depends on the SQS SDK, and the manifest says which tasks are reached through their queue', () => {
    const pkg = JSON.parse(project.files.get('package.json')!) as { dependencies: Record<string, string> }
    expect(Object.keys(pkg.dependencies)).toContain('@aws-sdk/client-sqs')
    const manifest = project.files.get('manifest.js')!
    expect(manifest).toMatch(/"ordered":\{[\s\S]*"queue":\{"fifo":true\}/)
    expect(manifest).toMatch(/"process":\{[\s\S]*"queue":\{\}/)
    expect(manifest).not.toMatch(/"plain":\{[^}]*"queue"/)
  })
})
