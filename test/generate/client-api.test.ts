import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_API_NAMES } from '../../generator/emit/client-files.js'
import { templateBindings } from '../../generator/emit/template-bindings.js'
import { typeErrors } from '../helpers/tsc.js'
import { TIES } from './client-api-ties.js'
import { generateInto, runInConsumer, writeProject, type ClientProject } from '../helpers/client-project.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'

afterAll(removeTempDirs)

/** Enums named like what the client's index.js binds itself: its imports, its own constants, its exports. */
const FILES = {
  'src/enums.ts': [
    "export enum manifest { a = 'a' }",
    "export enum failureIndex { b = 'b' }",
    "export enum createTaskClient { c = 'c' }",
    "export enum configure { d = 'd' }",
  ].join('\n'),
  'src/task.ts':
    "import { configure, createTaskClient, failureIndex, manifest } from './enums.js'\nexport default async (p: { m: manifest; f: failureIndex; c: createTaskClient; d: configure }) => {}\n",
}

describe('the client package API', () => {
  let project: ClientProject

  beforeAll(async () => {
    const root = tempDir('client-api')
    const config = writeProject(`${root}/project`, { app: 'shop', region: 'us-east-1', stacks: { s: { tasks: { t: './src/task.ts' } } } }, FILES)
    project = await generateInto(root, config)
  }, 60_000)

  it('reserves every name the package binds: an enum named like one of them is renamed, and the package loads', () => {
    const result = runInConsumer(project, "import * as client from 'client'\nconsole.log(JSON.stringify(Object.keys(client).sort()))")
    expect(result.stderr).toBe('')
    const exported: string[] = JSON.parse(result.stdout)
    expect(exported).toEqual(expect.arrayContaining(['manifest_2', 'failureIndex_2', 'createTaskClient_2', 'configure_2', 'configure', 'Task']))
  })

  it('reserves the names its index.d.ts declares and its index.js binds, read from the templates: every kind of statement', () => {
    // index.d.ts: an interface, a type, a class, a const, a function; index.js: an import, a re-export, a local const.
    const samples = [
      'TaskCallOptions',
      'TaskBatchResult',
      'TaskInvokeError',
      'Task',
      'validatePayload',
      'taskManifest',
      'MAX_EVENT_PAYLOAD_BYTES',
      'failureIndex',
    ]
    expect(CLIENT_API_NAMES).toEqual(expect.arrayContaining(samples))
    expect(new Set(CLIENT_API_NAMES).size).toBe(CLIENT_API_NAMES.length)
  })
})

describe('the client package declarations', () => {
  it('agree with the runtime they describe: each is the runtime type, or narrows it by the config (client-api-ties.ts)', () => {
    expect(typeErrors('test/generate/client-api-ties.ts')).toEqual([])
  }, 60_000)

  it('are every one tied: TIES names each declaration of index.d.ts and testing.d.ts, and nothing else', () => {
    const index = templateBindings('index.d.ts')
    // testing.d.ts imports some of index.d.ts's names: they are index.d.ts's.
    const declared = [...index, ...templateBindings('testing.d.ts').filter((name) => !index.includes(name))]
    expect(Object.keys(TIES).sort()).toEqual([...new Set(declared)].sort())
  })
})
