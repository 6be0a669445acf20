import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildClient, staleClientFiles, writeClient, type GeneratedClient } from '../../generator/generate.js'
import { REPO_ROOT, runAsync, runBin, runBinAsync } from '../helpers/run-cli.js'
import { folderFiles, mainFolder, packageFile, resolvedPackage, versionContent, versionFolder } from '../helpers/client-package.js'
import { copyShop } from '../helpers/shop.js'
import { removeTempDirs, tempDir } from '../helpers/temp.js'
import { treeSnapshot } from '../helpers/tree-snapshot.js'

afterAll(removeTempDirs)

const MARKER = '.task-gen-output.json'
const TYPES = 'src/types/customer.ts'
/** The files of a client package's version folder. */
const CONTENT = ['index.d.ts', 'index.js', 'manifest.js', 'runtime.js', 'testing.d.ts', 'testing.js']

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

/** Names a run must never leave behind: its temporary files and its lock. */
const litter = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => /(^|\/)\.task-gen-(tmp-|output\.lock)/.test(path))

/** The entry stubs at the top of a client package, for imports by path. */
const STUBS = ['index.js', 'index.d.ts', 'testing.js', 'testing.d.ts']

/** The version folder a stub re-exports. */
function stubTarget(out: string, stub: string): string | undefined {
  return /^export \* from '\.\/(v-[0-9a-f]{12})\//m.exec(readFileSync(join(out, stub), 'utf8'))?.[1]
}

/** The version folders in the package's folder. */
const versionFolders = (out: string) =>
  readdirSync(out)
    .filter((name) => /^v-[0-9a-f]{12}$/.test(name))
    .sort()

/** Files in the folder that its marker does not list, leaving out the marker itself and the names a killed run leaves for the next to remove. */
function unlisted(out: string): string[] {
  const listed = new Set((JSON.parse(readFileSync(join(out, MARKER), 'utf8')) as { files: string[] }).files)
  const onDisk = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(out, path)).isFile())
  return onDisk.filter((path) => path !== MARKER && litter(out).indexOf(path) < 0 && !listed.has(path))
}

/**
 * Builds the two packages of versions.json (the project's, and its copy's with one payload
 * field more), both for the project's output folder, then writes them in turn, `count` times,
 * starting with `first`, with task-gen's own writer (the built one, as the CLI runs it).
 * Touches `done` at the end.
 */
const WRITER = `
import { existsSync, writeFileSync, readFileSync } from 'node:fs'
const [versionsFile, first, count, done, ready] = process.argv.slice(1)
const { buildClient, writeClient } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/generator/generate.js'))})
const { out, configs } = JSON.parse(readFileSync(versionsFile, 'utf8'))
const clients = [await buildClient({ configFile: configs[0], out }), await buildClient({ configFile: configs[1], out })]
// With a reader, start only once it reads: so that the reads overlap the writes, however the machine schedules the two.
while (ready && !existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 5))
for (let i = 0; i < Number(count); i++) await writeClient(clients[(Number(first) + i) % 2])
if (done) writeFileSync(done, '')
console.log('wrote ' + count + ' times')
`

/**
 * Resolves the package in a tight loop until \`done\` exists, as Node and TypeScript do: package.json,
 * then the files of the folder its main entry is in; and each entry stub, then the files of the
 * version it re-exports. Reports a file missing or torn, or one read that mixes the two versions,
 * and which version each read through package.json saw.
 */
const READER = `
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, posix } from 'node:path'
const [out, versionsFile, done, ready] = process.argv.slice(1)
const { versions } = JSON.parse(readFileSync(versionsFile, 'utf8'))
writeFileSync(ready, '')
const content = ['index.js', 'index.d.ts', 'manifest.js', 'runtime.js', 'testing.js', 'testing.d.ts']
const read = (path) => readFileSync(join(out, path), 'utf8')
/** A version that every one of these files is of (some files are the same in both); throws when there is none. */
function oneVersion(what, files) {
  const of = versions.findIndex((version) => files.every(([name, text]) => version[name] === text))
  if (of < 0) throw new Error(what + ' reads files of no one version: ' + files.map(([name, text]) => name + ' of ' + versions.map((version, i) => version[name] === text ? i : '').join('')).join(', '))
  return of
}
function throughPackageJson() {
  const pkg = read('package.json')
  const folder = posix.dirname(JSON.parse(pkg).exports['.'].default)
  return oneVersion('package.json -> ' + folder, [['package.json', pkg], ...content.map((name) => [name, read(posix.join(folder, name))])])
}
function throughStub(stub) {
  const folder = /^export \\* from '\\.\\/(v-[0-9a-f]{12})\\//m.exec(read(stub))?.[1]
  // A package whose entries are at the top has no stubs: package.json reads those very files.
  if (folder) oneVersion(stub + ' -> ' + folder, content.map((name) => [name, read(posix.join(folder, name))]))
}
const seen = [0, 0]
let broken
for (let polls = 0; polls < 1000000 && broken === undefined && !existsSync(done); polls++) {
  try {
    seen[throughPackageJson()]++
    for (const stub of ['index.js', 'index.d.ts', 'testing.js', 'testing.d.ts']) throughStub(stub)
  } catch (error) {
    broken = error.message
  }
}
console.log(JSON.stringify({ broken, seen }))
`

/**
 * Builds the two packages as WRITER does (the built task-gen: its bundled runtime differs from
 * the one the tests build from source), writes the first, and adds both to versions.json.
 */
const PREPARE = `
import { readFileSync, writeFileSync } from 'node:fs'
const [versionsFile] = process.argv.slice(1)
const { buildClient, writeClient } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/generator/generate.js'))})
const { out, configs } = JSON.parse(readFileSync(versionsFile, 'utf8'))
const clients = [await buildClient({ configFile: configs[0], out }), await buildClient({ configFile: configs[1], out })]
await writeClient(clients[0])
writeFileSync(versionsFile, JSON.stringify({ out, configs, versions: clients.map((client) => Object.fromEntries(client.files)) }))
`

/**
 * A project whose package is on disk, a copy of it beside it whose payload type has one field
 * more, and the two packages (both for the project's folder) in versions.json, for WRITER and READER.
 */
async function twoPackages(): Promise<{ project: string; versions: Record<string, string>[]; versionsFile: string }> {
  const { outer, project } = nestedShop()
  const other = join(outer, 'project-vip')
  cpSync(project, other, { recursive: true })
  editTypes(other, true)
  const out = join(project, 'generated/tasks')
  const versionsFile = join(project, 'versions.json')
  writeFileSync(versionsFile, JSON.stringify({ out, configs: [join(project, 'task-gen.json'), join(other, 'task-gen.json')] }))
  expect(await runAsync(process.execPath, ['--input-type=module', '-e', PREPARE, versionsFile], { cwd: project })).toMatchObject({ code: 0, stderr: '' })
  const { versions } = JSON.parse(readFileSync(versionsFile, 'utf8')) as { versions: Record<string, string>[] }
  return { project, versions, versionsFile }
}

/** Three packages of the project, for its own folder: payload types that differ from one to the next. */
async function threeClients(project: string): Promise<GeneratedClient[]> {
  const configFile = join(project, 'task-gen.json')
  const clients = []
  for (const edit of [
    () => editTypes(project, false),
    () => editTypes(project, true),
    () => writeFileSync(join(project, TYPES), readFileSync(join(project, TYPES), 'utf8').replace('vip: boolean', 'vip: boolean\n  tier?: string')),
  ]) {
    edit()
    clients.push(await buildClient({ configFile }))
  }
  return clients
}

/**
 * Writes the package in job.json with task-gen's writer, and kills itself (SIGKILL) just before
 * its change number `killAt` to the file system (a file written, renamed, removed, a folder
 * made or removed, a link made): -1 runs to the end, printing how many changes it made.
 */
const KILLED_WRITER = `
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
const [job, killAt] = process.argv.slice(1)
let changes = 0
for (const name of ['writeFileSync', 'renameSync', 'rmSync', 'mkdirSync', 'rmdirSync', 'linkSync', 'unlinkSync']) {
  const real = fs[name]
  fs[name] = (...args) => {
    if (changes++ === Number(killAt)) process.kill(process.pid, 'SIGKILL')
    return real(...args)
  }
}
syncBuiltinESMExports() // the writer's own imports of node:fs see these
const { clientLayout } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/generator/emit/client-files.js'))})
const { writeOutputFolder } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/generator/fs/output-folder.js'))})
const { output, files } = JSON.parse(fs.readFileSync(job, 'utf8'))
const layout = clientLayout(new Map(Object.entries(files)))
await writeOutputFolder(output, layout.files, { versions: layout.versions })
console.log(changes)
`

describe("an output folder that is not task-gen's", () => {
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
    expect(first!.replace(/ \(task-gen\.json:15:\d+\)$/, '')).toBe(
      `client.outDir: the output folder ${why}, which task-gen never writes over; choose a folder of its own, such as ".task-gen/client"`,
    )
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
    [
      'notes',
      (project: string) => (mkdirSync(join(project, 'notes')), writeFileSync(join(project, 'notes/todo.txt'), 'mine')),
      '--out: the output folder "notes" holds files task-gen did not write (it has no .task-gen-output.json): todo.txt.',
    ],
    ['link', (project: string) => symlinkSync('.', join(project, 'link')), '--out: the output folder "link" (a link to ".") is the project folder'],
    ['up', (project: string) => symlinkSync('..', join(project, 'up')), '--out: the output folder "up" (a link to "..") contains the project folder "."'],
    [
      'broken',
      (project: string) => (
        mkdirSync(join(project, 'broken')),
        writeFileSync(join(project, 'broken', MARKER), '{"generator": "task-gen",'),
        writeFileSync(join(project, 'broken/mine.txt'), 'mine')
      ),
      '--out: the output folder "broken" has a .task-gen-output.json that task-gen did not write (it is not valid JSON)',
    ],
    [
      'planted',
      (project: string) => {
        mkdirSync(join(project, 'planted'))
        writeFileSync(
          join(project, 'planted', MARKER),
          JSON.stringify({ generator: 'task-gen', version: 1, kind: 'client', files: ['../task-gen.json', 'index.js'] }),
        )
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
    const version = versionFolder(out)
    expect(JSON.parse(readFileSync(join(out, MARKER), 'utf8'))).toEqual({
      generator: 'task-gen',
      version: 1,
      kind: 'client',
      files: ['README.md', 'index.d.ts', 'index.js', 'package.json', 'testing.d.ts', 'testing.js', ...CONTENT.map((file) => `${version}/${file}`)],
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
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^✓ wrote @shop\/tasks to generated\/tasks: 7 task\(s\), 11 type\(s\), manifest [\d.]+ kB \(largest task: orders\.\w+, [\d.]+ kB\)\n$/,
      ),
    })
    expect(result.stderr).toBe('note: kept 2 entries that task-gen did not write in "generated/tasks": NOTES.md, docs/\n')
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('the user wrote this')
    expect(readFileSync(join(out, 'docs/usage.md'), 'utf8')).toBe('and this')
    expect(existsSync(join(out, 'legacy.js'))).toBe(false)
    expect(readFileSync(packageFile(out, 'index.d.ts'), 'utf8')).toContain('vip: boolean')
    expect(runBin(['generate', '--check'], { cwd: project })).toMatchObject({ code: 0, stdout: '✓ @shop/tasks in generated/tasks is up to date\n' })
  })

  it('is stale for --check when its marker lists other files, and refused when it has none', () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    runBin(['generate'], { cwd: project })
    const marker = JSON.parse(readFileSync(join(out, MARKER), 'utf8')) as { files: string[] }
    writeFileSync(join(out, 'legacy.js'), 'export {}')
    writeFileSync(join(out, MARKER), JSON.stringify({ ...marker, files: [...marker.files, 'legacy.js'] }))
    expect(runBin(['generate', '--check'], { cwd: project })).toMatchObject({
      code: 1,
      stderr: `@shop/tasks in generated/tasks is stale; run \`task-gen generate\`. Differs: ${MARKER}, legacy.js\n`,
    })
    rmSync(join(out, MARKER))
    const unmarked = runBin(['generate', '--check'], { cwd: project })
    expect(unmarked.code).toBe(1)
    expect(unmarked.stderr).toContain(
      'client.outDir: the output folder "generated/tasks" holds files task-gen did not write (it has no .task-gen-output.json): README.md, index.d.ts, index.js, legacy.js, package.json and 3 more.',
    )
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
      expect(result.stderr).toContain(
        `client.outDir: another task-gen (pid ${holder.pid}) is writing the output folder "generated/tasks"; try again when it has finished (if no task-gen is running, delete "generated/tasks/.task-gen-output.lock")`,
      )
      expect(treeSnapshot(out)).toEqual(before)
    } finally {
      holder.kill()
    }
  }, 60_000)

  it('judges which files are its own only under the lock: a writer that lists its files before it finishes is waited for, not reported', async () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    runBin(['generate'], { cwd: project })
    const markerFile = join(out, MARKER)
    const marker = readFileSync(markerFile, 'utf8')
    const { files } = JSON.parse(marker) as { files: string[] }
    // A writer between its marker and its files, as another generate is: README.md is there, and its marker does not list it yet.
    writeFileSync(markerFile, JSON.stringify({ ...JSON.parse(marker), files: files.filter((f) => f !== 'README.md') }))
    const lockFile = join(out, '.task-gen-output.lock')
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `setTimeout(() => { const fs = require('fs'); fs.writeFileSync(process.argv[1], process.argv[2]); fs.rmSync(process.argv[3]) }, 5000)`,
        markerFile,
        marker,
        lockFile,
      ],
      { stdio: 'ignore' },
    )
    try {
      writeFileSync(lockFile, JSON.stringify({ pid: writer.pid, thread: 0, startedAt: Date.now(), token: 'the writer' }))
      const result = await runBinAsync(['generate'], { cwd: project })
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(litter(project)).toEqual([])
      expect(runBin(['generate', '--check'], { cwd: project }).code).toBe(0)
    } finally {
      writer.kill()
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

  it("deletes no file of the user's that merely looks like its own: temp-like names, a foreign lock", () => {
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

  it('regenerates, type change after type change, a package that a handler imports by path: the version the handler reads is kept, not deleted', () => {
    const { project } = nestedShop()
    const handler = join(project, 'src/reports/cleanup-exports.ts')
    runBin(['generate'], { cwd: project })
    writeFileSync(
      handler,
      `import type { TaskAccepted } from '../../generated/tasks/index.js'\nexport type Seen = TaskAccepted\n${readFileSync(handler, 'utf8')}`,
    )
    for (const vip of [true, false]) {
      editTypes(project, vip)
      expect(runBin(['generate'], { cwd: project }), `vip: ${vip}`).toMatchObject({ code: 0, stderr: '' })
    }
    expect(runBin(['check'], { cwd: project }).code).toBe(0)
  }, 60_000)

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

  it('holds a whole package at every instant while another process regenerates it in a loop: each read through package.json or a stub sees one version', async () => {
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
    expect(resolvedPackage(out)).toEqual(versions[1])
    expect(versionFolders(out)).toEqual([mainFolder(versions[0]!['package.json']!), versionFolder(out)].sort())
    for (const stub of STUBS) expect(stubTarget(out, stub), stub).toBe(versionFolder(out))
  }, 180_000)

  it('takes turns between processes that write it at once: each run completes, nothing is left behind', async () => {
    const { project, versions, versionsFile } = await twoPackages()
    const out = join(project, 'generated/tasks')
    const runs = await Promise.all(
      ['0', '1'].map((first) => runAsync(process.execPath, ['--input-type=module', '-e', WRITER, versionsFile, first, '300'], { cwd: project })),
    )
    for (const run of runs) expect(run).toMatchObject({ code: 0, stdout: 'wrote 300 times\n', stderr: '' })
    expect(litter(project)).toEqual([])
    expect(readdirSync(join(project, 'generated'))).toEqual(['tasks'])
    expect(versions).toContainEqual(resolvedPackage(out))
    expect(versionFolders(out).length).toBeLessThanOrEqual(2)
    for (const stub of STUBS) expect(stubTarget(out, stub), stub).toBe(versionFolder(out))
    expect(unlisted(out)).toEqual([])
  }, 180_000)

  it('keeps the version package.json named before whole until the next version is written, then removes it; an unchanged package is left as it is', async () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    const [first, second, third] = (await threeClients(project)) as [GeneratedClient, GeneratedClient, GeneratedClient]
    const [v1, v2, v3] = [first, second, third].map((client) => mainFolder(client.files.get('package.json')!))
    expect(new Set([v1, v2, v3]).size).toBe(3)
    await writeClient(first)
    await writeClient(second)
    expect(resolvedPackage(out)).toEqual(Object.fromEntries(second.files))
    // A reader that resolved package.json just before it changed still reads a whole first version.
    expect(versionFolders(out)).toEqual([v1, v2].sort())
    expect(folderFiles(join(out, v1!))).toEqual(versionContent(first.files))
    await writeClient(third)
    expect(resolvedPackage(out)).toEqual(Object.fromEntries(third.files))
    expect(versionFolders(out)).toEqual([v2, v3].sort())
    expect(folderFiles(join(out, v2!))).toEqual(versionContent(second.files))
    for (const stub of STUBS) expect(stubTarget(out, stub), stub).toBe(v3)
    expect(unlisted(out)).toEqual([])
    expect(staleClientFiles(third)).toEqual([])
    expect(staleClientFiles(second)).toEqual(['index.d.ts', 'manifest.js'])
    const settled = treeSnapshot(out)
    await writeClient(third)
    expect(treeSnapshot(out)).toEqual(settled)
    // Back to the kept version: its folder is reused, the one just left is kept.
    await writeClient(second)
    expect(versionFolders(out)).toEqual([v2, v3].sort())
    expect(resolvedPackage(out)).toEqual(Object.fromEntries(second.files))
    expect(litter(out)).toEqual([])
  }, 120_000)

  it('leaves, killed before any change it makes to the folder, a package.json and stubs that each name a whole version, and nothing unlisted; the next run ends as an unbroken one', async () => {
    const { project } = nestedShop()
    const out = join(project, 'generated/tasks')
    const [first, second, third] = (await threeClients(project)) as [GeneratedClient, GeneratedClient, GeneratedClient]
    await writeClient(first)
    await writeClient(second) // the folder holds two versions: the run below removes one, keeps one and writes one
    const start = join(project, 'start')
    cpSync(out, start, { recursive: true })
    const job = join(project, 'job.json')
    writeFileSync(job, JSON.stringify({ output: third.output, files: Object.fromEntries(third.files) }))
    const run = (killAt: number) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', KILLED_WRITER, job, String(killAt)], { cwd: project, encoding: 'utf8' })
    const whole = run(-1)
    expect(whole).toMatchObject({ status: 0, stderr: '' })
    const changes = Number(whole.stdout)
    expect(changes).toBeGreaterThan(20)
    const finished = treeSnapshot(out)
    const packages = [second, third].map((client) => Object.fromEntries(client.files))
    const versions = new Map([first, second, third].map((client) => [mainFolder(client.files.get('package.json')!), versionContent(client.files)]))
    for (let at = 0; at < changes; at++) {
      rmSync(out, { recursive: true })
      cpSync(start, out, { recursive: true })
      const killed = run(at)
      expect(killed.signal, `change ${at}: ${killed.stderr}`).toBe('SIGKILL')
      expect(packages, `package.json after change ${at}`).toContainEqual(resolvedPackage(out))
      for (const stub of STUBS) {
        const target = stubTarget(out, stub)!
        expect(versions.has(target), `${stub} -> ${target} after change ${at}`).toBe(true)
        expect(folderFiles(join(out, target)), `${stub} -> ${target} after change ${at}`).toEqual(versions.get(target))
      }
      expect(unlisted(out), `after change ${at}`).toEqual([])
      expect(run(-1).status, `the run after change ${at}`).toBe(0)
      expect(treeSnapshot(out), `the run after change ${at}`).toEqual(finished)
    }
  }, 300_000)
})
