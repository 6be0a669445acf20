import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../generator/cli/main.js'
import { writeProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

const HANDLER = `export interface Report { kind: 'daily' | 'weekly'; recipients?: string[]; options: { "dry run": boolean } }
export default async function generateReport(report: Report) {}
`

async function run(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

function project(schedule: unknown): { dir: string; configFile: string } {
  const dir = tempDir('schedule-payloads')
  const config = { app: 'shop', region: 'us-east-1', stacks: { reports: { tasks: { generateReport: { consumer: './src/generate-report.ts', schedule } } } } }
  return { dir, configFile: writeProject(dir, config, { 'src/generate-report.ts': HANDLER }) }
}

const T = 'stacks.reports.tasks.generateReport'
const WHY = '(the payload type of reports.generateReport, which each firing of this schedule delivers)'

describe("a schedule's payload is checked against the task's payload type", () => {
  it('check accepts a payload of the type', async () => {
    const { configFile } = project({ cron: '0 3 * * ? *', payload: { kind: 'daily', options: { 'dry run': false } } })
    const result = await run(['check', '--config', configFile])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it('check reports a wrong payload at its config path and line, every issue of every schedule at once', async () => {
    const { configFile } = project([
      { rate: '1 hour', payload: { kind: 'dayly', options: { 'dry run': false } } },
      { rate: '1 day', payload: { kind: 'weekly', recipients: ['a', 2], options: {} } },
    ])
    const result = await run(['check', '--config', configFile])
    expect(result.code).toBe(1)
    const lines = result.stderr.split('\n').slice(0, -1)
    // Each problem names the line of the value it is about, in the pretty-printed config.
    expect(lines.map((line) => line.replace(/ \(\S*task-gen\.json:(\d+):\d+\)$/, ' (line $1)'))).toEqual([
      `${T}.schedule[0].payload.kind: expected "daily" | "weekly", got "dayly" ${WHY} (line 13)`,
      `${T}.schedule[1].payload.recipients[1]: expected string, got number 2 ${WHY} (line 25)`,
      `${T}.schedule[1].payload.options["dry run"]: is required ${WHY} (line 27)`,
    ])
  })

  it('a schedule without a payload needs a task whose payload may be left out', async () => {
    const { configFile } = project({ rate: '1 hour' })
    const result = await run(['check', '--config', configFile])
    expect(result.code).toBe(1)
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^${T.replace(/\./g, '\\.')}\\.schedule\\.payload: `))
  })

  it('generate refuses it too, and writes nothing', async () => {
    const { dir, configFile } = project({ cron: '0 3 * * ? *', payload: { kind: 'monthly', options: { 'dry run': true } } })
    const result = await run(['generate', '--config', configFile])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${T}.schedule.payload.kind: `)
    // Only task-gen's own extraction cache may have been written (.task-gen/cache).
    expect(
      readdirSync(dir)
        .filter((name) => name !== '.task-gen')
        .sort(),
    ).toEqual(['src', 'task-gen.json'])
    expect(readdirSync(join(dir, 'src'))).toEqual(['generate-report.ts'])
  })
})
