import { afterAll, describe, expect, it } from 'vitest'
import { clientTypeErrors } from '../../generator/emit/check-client-types.js'
import { inMemoryHandlerProject } from '../../generator/extract/project.js'
import { generateInto, runInConsumer, writeProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

describe('the check that the generated client compiles', () => {
  const project = () => inMemoryHandlerProject({ '/project/src/handler.ts': 'export default async (p: { a: string }) => {}' })

  it('reports each error of the declarations with its file, line and TypeScript code', () => {
    const files = new Map([
      ['index.d.ts', 'export interface Ok { a: string }\nexport type Job = Missing\n'],
      ['testing.d.ts', "import type { Nope } from './index.js'\nexport type T = Nope\n"],
    ])
    expect(clientTypeErrors(files, project())).toEqual([
      "index.d.ts:2:19 TS2304: Cannot find name 'Missing'.",
      "testing.d.ts:1:15 TS2305: Module '\"./index.js\"' has no exported member 'Nope'.",
    ])
  })

  it('finds nothing in declarations that compile, standard-library types included', () => {
    const files = new Map([['index.d.ts', 'export type Job = { at: Partial<Record<string, number>>; p: Promise<void>; d: ReadonlyArray<string> }\n']])
    expect(clientTypeErrors(files, project())).toEqual([])
  })
})

describe('the client’s own bindings', () => {
  it('cannot clash with an enum of the app: an enum named like one of index.js’s bindings is renamed, and index.js loads', async () => {
    const root = tempDir('client-bindings')
    const config = writeProject(
      `${root}/project`,
      { app: 'shop', region: 'us-east-1', stacks: { s: { tasks: { t: './src/handler.ts' } } } },
      {
        'src/handler.ts': "export enum manifest { A = 'a' }\nexport enum validate { B = 1 }\nexport default async (p: { m: manifest; v: validate }) => {}\n",
      },
    )
    const client = await generateInto(root, config)
    const run = runInConsumer(
      client,
      "import { manifest_2, validate_2, validatePayload } from 'client'\nconsole.log(JSON.stringify([manifest_2.A, validate_2.B, validatePayload('s', 't', { m: 'a', v: 1 })]))",
    )
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual(['a', 1, []])
  }, 60_000)
})
