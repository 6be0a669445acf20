import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildClient, writeClient } from '../../generator/generate.js'
import { REPO_ROOT, runAsync, runBin, runBinAsync } from '../helpers/run-cli.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { treeSnapshot } from '../helpers/tree-snapshot.js'

afterAll(removeTempDirs)

const MARKER = '.task-gen-output.json'
const TYPES = 'src/types/customer.ts'

/** The shop example in `<outer>/project`, with a file of the user's beside it in `<outer>`: what a wrong `..` would reach. */
function nestedShop(): { outer: string; project: string } {
  const outer = tempDir('outdirs')
  const project = join(outer, 'project')
  renameSync(copyShop('outdirs-src'), project)
  writeFileSync(join(outer, 'beside-the-project.txt'), 'the user keeps this')
  return { outer, project }
}

function setOutDir(project: string, outDir: string): void {
  const file = join(project, 'task-gen.json')
  writeFileSync(file, readFileSync(file, 'utf8').replace('"outDir": "./generated/tasks"', `"outDir": ${JSON.stringify(outDir)}`))
}

/** A payload type change: the package it gives differs from the example's in index.d.ts and manifest.js. */
function editTypes(project: string, vip: boolean): void {
  const file = join(project, TYPES)
  const text = readFileSync(file, 'utf8').replace('\n  vip: boolean', '')
  writeFileSync(file, vip ? text.replace('name?: string', 'name?: string\n  vip: boolean') : text)
}

function packageFiles(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]))
}

/** Names a run must never leave behind: its temporary files and its lock. */
const litter = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => /(^|\/)\.task-gen-(tmp-|output\.lock)/.test(path))

/**
 * Writes the packages in `versions.json` in turn, `count` times, starting with version `first`,
 * with task-gen's own writer (the built one, as the CLI runs it). Touches `done` at the end.
 */
const WRITER = `
import { existsSync, writeFileSync, readFileSync } from 'node:fs'
const [versionsFile, first, count, done, ready] = process.argv.slice(1)
// With a reader, start only once it reads: so that the reads overlap the writes, however the machine schedules the two.
while (ready && !existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 5))
const { writeOutputFolder } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/generator/emit/output-folder.js'))})
const { output, versions } = JSON.parse(readFileSync(versionsFile, 'utf8'))
const maps = versions.map((files) => new Map(Object.entries(files).filter(([name]) => name !== '${MARKER}')))
for (let i = 0; i < Number(count); i++) await writeOutputFolder(output, maps[(Number(first) + i) % 2])
if (done) writeFileSync(done, '')
console.log('wrote ' + count + ' times')
`

/** Reads every file of the package in a tight loop until \`done\` exists; reports a file missing or torn, and which version each read saw. */
const READER = `
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
const [out, versionsFile, done, ready] = process.argv.slice(1)
const { versions } = JSON.parse(readFileSync(versionsFile, 'utf8'))
writeFileSync(ready, '')
const names = Object.keys(versions[0])
const seen = [0, 0]
let broken
for (let polls = 0; polls < 1000000 && broken === undefined && !existsSync(done); polls++) {
  for (const name of names) {
    let text
    try {
      text = readFileSync(join(out, name), 'utf8')
    } catch (error) {
      broken = name + ': ' + error.message
      break
    }
    const version = versions.findIndex((files) => files[name] === text)
    if (version < 0) broken = name + ' is neither version (' + text.length + ' bytes)'
    else if (name === 'index.d.ts') seen[version]++
  }
}
console.log(JSON.stringify({ broken, seen }))
`

/** A project whose package is on disk, and the two packages (with and without a payload field) in versions.json, for WRITER and READER. */
async function twoPackages(): Promise<{ project: string; versions: Record<string, string>[]; versionsFile: string }> {
  const { project } = nestedShop()
  const out = join(project, 'generated/tasks')
  const configFile = join(project, 'task-gen.json')
  editTypes(project, true)
  const withVip = await buildClient({ configFile })
  editTypes(project, false)
  const without = await buildClient({ configFile })
  await writeClient(without)
  const versions = [without, withVip].map((client) => ({ ...Object.fromEntries(client.files), [MARKER]: readFileSync(join(out, MARKER), 'utf8') }))
  const versionsFile = join(project, 'versions.json')
  writeFileSync(versionsFile, JSON.stringify({ output: without.output, versions }))
  return { project, versions, versionsFile }
}

describe('an output folder that is not task-gen\'s', () => {
  it.each([
    ['.', '"." is the project folder'],
    ['..', '".." contains the project folder "."'],
    ['./task-gen.json', '"task-gen.json" is the config file'],
  ])('client.outDir %j: exit 1 naming client.outDir and its place in the config, nothing changed', (outDir, why) => {
    const { outer, project } = nestedShop()
    setOutDir(project, outDir)
    const before = treeSnapshot(outer)
    const result = runBin(['generate'], { cwd: project })
    expect(result.code).toBe(1)
    const [first, last] = result.stderr.split('\n')
    expect(first).toMatch(/ \(task-gen\.json:15:\d+\)$/)
    expect(first!.replace(/ \(task-gen\.json:15:\d+\)$/, '')).toBe(`client.outDir: the output folder ${why}, which task-gen never writes over; choose a folder of its own, such as ".task-gen/client"`)
    expect(last).toBe('task-gen generate: 1 problem found; nothing was written.')
    expect(treeSnapshot(outer)).toEqual(before)
  })

  it.each([
    ['.', 'is the project folder'],
    ['./src', 'contains a handler file'],
  ])('client.outDir %j is a problem for check too, at its place in the config', (outDir, why) => {
    const { project } = nestedShop()
    setOutDir(project, outDir)
    const result = runBin(['check'], { cwd: project })
    expect(result.code).toBe(1)
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^client\\.outDir: the output folder "[^"]+" ${why}.* \\(task-gen\\.json:15:\\d+\\)$`))
  })

  it('a foreign client.outDir is a problem for check; a missing one is not', () => {
    const { project } = nestedShop()
    expect(runBin(['check'], { cwd: project }).code).toBe(0)
    mkdirSync(join(project, 'generated/tasks'), { recursive: true })
    writeFileSync(join(project, 'generated/tasks/mine.txt'), 'mine')
    const result = runBin(['check'], { cwd: project })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('client.outDir: the output folder "generated/tasks" holds files task-gen did not write')
  })

  it.each([
    ['src', () => undefined, '--out: the output folder "src" contains a handler file "src/orders/process-order.ts"'],
    ['notes', (project: string) => (mkdirSync(join(project, 'notes')), writeFileSync(join(project, 'notes/todo.txt'), 'mine')), '--out: the output folder "notes" holds files task-gen did not write (it has no .task-gen-output.json): todo.txt.'],
    ['link', (project: string) => symlinkSync('.', join(project, 'link')), '--out: the output folder "link" (a link to ".") is the project folder'],
    ['up', (project: string) => symlinkSync('..', join(project, 'up')), '--out: the output folder "up" (a link to "..") contains the project folder "."'],
    ['broken', (project: string) => (mkdirSync(join(project, 'broken')), writeFileSync(join(project, 'broken', MARKER), '{"generator": "task-gen",'), writeFileSync(join(project, 'broken/mine.txt'), 'mine')), '--out: the output folder "broken" has a .task-gen-output.json that task-gen did not write (it is not valid JSON)'],
    [
      'planted',
      (project: string) => {
        mkdirSync(join(project, 'planted'))
        writeFileSync(join(project, 'planted', MARKER), JSON.stringify({ generator: 'task-gen', version: 1, kind: 'client', files: ['../task-gen.json', 'index.js'] }))
      },
      '--out: the output folder "planted" has a .task-gen-output.json that task-gen did not write (it lists "../task-gen.json", which is not a path inside the folder)',
    ],
  ])('--out %s: exit 1 naming --out, nothing changed', (out, prepare, message) => {
    const { outer, project } = nestedShop()
    prepare(project)
    const before = treeSnapshot(outer)
    const result = runBin(['generate', '--out', out], { cwd: project })
    expect(result.code).toBe(1)
    expect(result.stderr.startsWith(message), result.stderr).toBe(true)
    expect(treeSnapshot(outer)).toEqual(before)
  })
})

describe('a task-gen output folder', () => {
  it('keeps the files a user added through a regenerate and --check, and deletes only files its marker lists', () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    expect(runBin(['generate'], { cwd: project }).code).toBe(0)
    expect(JSON.parse(readFileSync(join(out, MARKER), 'utf8'))).toEqual({
      generator: 'task-gen',
      version: 1,
      kind: 'client',
      files: ['README.md', 'index.d.ts', 'index.js', 'manifest.js', 'package.json', 'runtime.js', 'testing.d.ts', 'testing.js'],
    })
    writeFileSync(join(out, 'NOTES.md'), 'the user wrote this')
    mkdirSync(join(out, 'docs'))
    writeFileSync(join(out, 'docs/usage.md'), 'and this')
    // A file an earlier version of the package had: listed, so it goes.
    writeFileSync(join(out, 'legacy.js'), 'export {}')
    const marker = JSON.parse(readFileSync(join(out, MARKER), 'utf8')) as { files: string[] }
    writeFileSync(join(out, MARKER), JSON.stringify({ ...marker, files: [...marker.files, 'legacy.js'].sort() }))
    editTypes(project, true)

    const result = runBin(['generate'], { cwd: project })
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^✓ wrote @shop\/tasks to generated\/tasks: 4 task\(s\), 9 type\(s\), manifest [\d.]+ kB \(largest task: orders\.\w+, [\d.]+ kB\)\n$/) })
    expect(result.stderr).toBe('note: kept 2 entries that task-gen did not write in "generated/tasks": NOTES.md, docs/\n')
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('the user wrote this')
    expect(readFileSync(join(out, 'docs/usage.md'), 'utf8')).toBe('and this')
    expect(existsSync(join(out, 'legacy.js'))).toBe(false)
    expect(readFileSync(join(out, 'index.d.ts'), 'utf8')).toContain('vip: boolean')
    expect(runBin(['generate', '--check'], { cwd: project })).toMatchObject({ code: 0, stdout: '✓ @shop/tasks in generated/tasks is up to date\n' })
  })

  it('is stale for --check when its marker lists other files, and refused when it has none', () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    runBin(['generate'], { cwd: project })
    const marker = JSON.parse(readFileSync(join(out, MARKER), 'utf8')) as { files: string[] }
    writeFileSync(join(out, 'legacy.js'), 'export {}')
    writeFileSync(join(out, MARKER), JSON.stringify({ ...marker, files: [...marker.files, 'legacy.js'] }))
    expect(runBin(['generate', '--check'], { cwd: project })).toMatchObject({ code: 1, stderr: `@shop/tasks in generated/tasks is stale; run \`task-gen generate\`. Differs: ${MARKER}, legacy.js\n` })
    rmSync(join(out, MARKER))
    const unmarked = runBin(['generate', '--check'], { cwd: project })
    expect(unmarked.code).toBe(1)
    expect(unmarked.stderr).toContain('client.outDir: the output folder "generated/tasks" holds files task-gen did not write (it has no .task-gen-output.json): README.md, index.d.ts, index.js, legacy.js, manifest.js and 4 more.')
  })

  it('is written by one generate at a time: two at once both succeed, or one says another is writing; nothing is left behind', async () => {
    const { project } = nestedShop()
    runBin(['generate'], { cwd: project })
    editTypes(project, true)
    const results = await Promise.all([runBinAsync(['generate'], { cwd: project }), runBinAsync(['generate'], { cwd: project })])
    for (const result of results) {
      if (result.code !== 0) expect(result.stderr).toMatch(/^client\.outDir: another task-gen \(pid \d+\) is writing the output folder "generated\/tasks"/)
      else expect(result.stderr).toBe('')
    }
    expect(results.some((r) => r.code === 0)).toBe(true)
    expect(litter(project)).toEqual([])
    expect(readdirSync(join(project, 'generated'))).toEqual(['tasks'])
    expect(runBin(['generate', '--check'], { cwd: project }).code).toBe(0)
  }, 60_000)

  it('waits for a live run that holds its lock, then says who holds it, and changes nothing', () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    runBin(['generate'], { cwd: project })
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' })
    try {
      writeFileSync(join(out, '.task-gen-output.lock'), JSON.stringify({ pid: holder.pid, thread: 0, startedAt: Date.now(), token: 'the holder' }))
      editTypes(project, true)
      const before = treeSnapshot(out)
      const result = runBin(['generate'], { cwd: project })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`client.outDir: another task-gen (pid ${holder.pid}) is writing the output folder "generated/tasks"; try again when it has finished (if no task-gen is running, delete "generated/tasks/.task-gen-output.lock")`)
      expect(treeSnapshot(out)).toEqual(before)
    } finally {
      holder.kill()
    }
  }, 60_000)

  it('takes over the lock of a run that was killed, and removes its temporary files', () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    runBin(['generate'], { cwd: project })
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    writeFileSync(join(out, '.task-gen-output.lock'), JSON.stringify({ pid: dead, thread: 0, startedAt: Date.now(), token: 'killed' }))
    writeFileSync(join(out, `.task-gen-tmp-${dead}-0123456789ab`), 'half a file')
    editTypes(project, true)
    expect(runBin(['generate'], { cwd: project })).toMatchObject({ code: 0, stderr: '' })
    expect(litter(out)).toEqual([])
    expect(runBin(['generate', '--check'], { cwd: project }).code).toBe(0)
  })

  it('deletes no file of the user\'s that merely looks like its own: temp-like names, a foreign lock', () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    runBin(['generate'], { cwd: project })
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    writeFileSync(join(out, '.task-gen-tmp-notes'), 'mine')
    mkdirSync(join(out, `.task-gen-tmp-${dead}-0123456789ab`))
    editTypes(project, true)
    expect(runBin(['generate'], { cwd: project }).code).toBe(0)
    expect(readFileSync(join(out, '.task-gen-tmp-notes'), 'utf8')).toBe('mine')
    expect(existsSync(join(out, `.task-gen-tmp-${dead}-0123456789ab`))).toBe(true)
    writeFileSync(join(out, '.task-gen-output.lock'), 'my lock notes')
    editTypes(project, false)
    const refused = runBin(['generate'], { cwd: project })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('holds a .task-gen-output.lock that task-gen did not write')
    expect(readFileSync(join(out, '.task-gen-output.lock'), 'utf8')).toBe('my lock notes')
  })

  it('refuses a planted marker that would let it replace or delete a file the handlers read', async () => {
    const { project } = nestedShop()
    const types = join(project, 'src/types')
    const before = treeSnapshot(project)
    const listed = readdirSync(types)
    writeFileSync(join(types, MARKER), JSON.stringify({ generator: 'task-gen', version: 1, kind: 'client', files: listed }))
    const result = runBin(['generate', '--out', 'src/types'], { cwd: project })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^--out: the output folder "src\/types" contains a source file of the handlers/)
    rmSync(join(types, MARKER))
    expect(treeSnapshot(project)).toEqual(before)
  })

  it('holds a whole package at every instant while another process regenerates it in a loop', async () => {
    const { project, versions, versionsFile } = await twoPackages()
    const out = join(project, 'generated/tasks')
    const done = join(project, 'writer-done')
    const ready = join(project, 'reader-ready')
    const reading = runAsync(process.execPath, ['--input-type=module', '-e', READER, out, versionsFile, done, ready], { cwd: project })
    const writing = runAsync(process.execPath, ['--input-type=module', '-e', WRITER, versionsFile, '0', '200', done, ready], { cwd: project })
    const [read, wrote] = await Promise.all([reading, writing])
    expect(wrote).toMatchObject({ code: 0, stdout: 'wrote 200 times\n', stderr: '' })
    expect(read).toMatchObject({ code: 0, stderr: '' })
    const { broken, seen } = JSON.parse(read.stdout) as { broken?: string; seen: [number, number] }
    expect(broken).toBeUndefined()
    // The reads overlapped the writes: both packages were seen.
    expect(seen[0]).toBeGreaterThan(0)
    expect(seen[1]).toBeGreaterThan(0)
    expect(litter(out)).toEqual([])
    expect(packageFiles(out)).toEqual(versions[1])
  }, 180_000)

  it('takes turns between processes that write it at once: each run completes, nothing is left behind', async () => {
    const { project, versions, versionsFile } = await twoPackages()
    const out = join(project, 'generated/tasks')
    const runs = await Promise.all(['0', '1'].map((first) => runAsync(process.execPath, ['--input-type=module', '-e', WRITER, versionsFile, first, '300'], { cwd: project })))
    for (const run of runs) expect(run).toMatchObject({ code: 0, stdout: 'wrote 300 times\n', stderr: '' })
    expect(litter(project)).toEqual([])
    expect(readdirSync(join(project, 'generated'))).toEqual(['tasks'])
    expect(versions).toContainEqual(packageFiles(out))
  }, 180_000)
})
