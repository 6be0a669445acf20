import { randomBytes } from 'node:crypto'
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync, type Stats } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { isRunning } from '../process/is-running.js'
import { UserError, type Problem, type SourceLocation } from '../errors/problem.js'
import { ForeignLockError, LockBusyError, withFileLock, type LockOptions } from './file-lock.js'
import { isSameOrInside, realPathOf } from './real-path.js'
import {
  isReservedName,
  isSafeRelativePath,
  LOCK_FILE,
  MARKER_FILE,
  markerText,
  readMarker,
  tempFileName,
  tempFilePid,
  type OutputKind,
} from './output-marker.js'
import { planVersions, versionFolderOf, type PackageVersions, type VersionPlan } from './package-versions.js'

/** How the user named an output folder, for problems: `client.outDir` with its place in the config, `--out`, `--output`, `CDKTF_OUTDIR`. */
export interface OutputSource {
  path: string
  location?: SourceLocation
}

/** A file or folder no output folder may be or contain, and what it is, for the message. */
export interface ProtectedPath {
  path: string
  /** "the config file", "a handler file", … */
  what: string
  /**
   * A file the handlers read that may be one task-gen wrote there itself (a handler that imports
   * the generated client): allowed when the new package writes that very file. Never
   * set for the project, the config, task-gen's state or a handler file.
   */
  ownable?: true
}

/** A folder task-gen writes: the client package, or synth's output. */
export interface OutputFolder {
  /** Absolute. */
  dir: string
  kind: OutputKind
  source: OutputSource
  protectedPaths: readonly ProtectedPath[]
}

/** Relative path (`/`-separated) → contents. */
export type OutputFiles = ReadonlyMap<string, string | Uint8Array>

export interface WriteOptions {
  lock?: LockOptions
  /** The files form a package with one commit point (see PackageVersions): its version folders are swapped whole. */
  versions?: PackageVersions
}

export interface WriteReport {
  /** What the folder holds that task-gen did not write, left as it was: paths, folders with a trailing `/`. */
  kept: string[]
}

const SUGGESTED: Record<OutputKind, string> = { client: '.task-gen/client', synth: 'cdktf.out' }
const KIND_NAMES: Record<OutputKind, string> = { client: 'a task-gen client package', synth: "task-gen's Terraform output (synth)" }
/** Terraform's own working files in a stack folder (`terraform init` writes them): not worth a note. */
const TERRAFORM_FILES = new Set(['.terraform', '.terraform.lock.hcl'])
const MAX_NAMED = 5

function shown(path: string): string {
  return JSON.stringify(relative(process.cwd(), path) || '.')
}

function problem(folder: OutputFolder, message: string): Problem {
  return { code: 'output_folder', path: folder.source.path, message, ...(folder.source.location ? { location: folder.source.location } : {}) }
}

function listNames(names: readonly string[]): string {
  const more = names.length - MAX_NAMED
  return names.slice(0, MAX_NAMED).join(', ') + (more > 0 ? ` and ${more} more` : '')
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

/** The folder may not be, or contain, anything the program reads or keeps, unless it is a file task-gen itself wrote there. */
function protectionProblem(folder: OutputFolder, real: string, ours: ReadonlySet<string>): Problem | undefined {
  const unique = new Map<string, ProtectedPath>()
  for (const entry of folder.protectedPaths) if (!unique.has(entry.path)) unique.set(entry.path, entry) // the first says most: "a handler file"
  const hits = [...unique.values()]
    .map(({ path, what, ownable }) => ({ path, what, ownable, target: realPathOf(path) }))
    .filter(({ target, ownable }) => isSameOrInside(target, real) && !(ownable && target !== real && ours.has(relative(real, target).split(sep).join('/'))))
  // "is the project folder" says more than "contains a handler file".
  const hit = hits.find(({ target }) => target === real) ?? hits[0]
  if (!hit) return undefined
  const relation = hit.target === real ? `is ${hit.what}` : `contains ${hit.what} ${shown(hit.path)}`
  const via = real === resolve(folder.dir) ? '' : ` (a link to ${shown(real)})`
  return problem(
    folder,
    `the output folder ${shown(folder.dir)}${via} ${relation}, which task-gen never writes over; choose a folder of its own, such as "${SUGGESTED[folder.kind]}"`,
  )
}

type Ownership = { ok: true; previous: string[] | undefined } | { ok: false; problem: Problem }

/** Whether task-gen may write the folder: missing, empty, or marked as its own output of this kind. */
function ownership(folder: OutputFolder, real: string): Ownership {
  const refuse = (message: string): Ownership => ({ ok: false, problem: problem(folder, `the output folder ${shown(folder.dir)} ${message}`) })
  let stats: Stats
  try {
    stats = lstatSync(real)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { ok: true, previous: undefined }
    if (code === 'ENOTDIR') return refuse('cannot be made: a part of its path is a file')
    throw error
  }
  if (stats.isSymbolicLink()) return refuse('is a symbolic link that leads nowhere')
  if (!stats.isDirectory()) return refuse('is a file, not a folder')
  const marker = readMarker(real)
  if (marker.state === 'valid' && marker.marker.kind === folder.kind) return { ok: true, previous: marker.marker.files }
  if (marker.state === 'valid') return refuse(`holds ${KIND_NAMES[marker.marker.kind]}, not ${KIND_NAMES[folder.kind]}; choose another folder`)
  if (marker.state === 'invalid')
    return refuse(
      `has a ${MARKER_FILE} that task-gen did not write (${marker.reason}); task-gen writes only folders it made. Choose another folder, or empty this one`,
    )
  const foreign = readdirSync(real)
    .filter((name) => !isReservedName(name))
    .sort()
  if (foreign.length === 0) return { ok: true, previous: undefined }
  return refuse(`holds files task-gen did not write (it has no ${MARKER_FILE}): ${listNames(foreign)}. Choose a new or empty folder, or empty this one`)
}

/**
 * Every path the run writes or deletes must stay inside the folder through real folders (no
 * link may lead elsewhere), and a file of the package may only replace a file task-gen wrote.
 */
function pathProblems(folder: OutputFolder, plan: Plan, files: OutputFiles): Problem[] {
  const { real } = plan
  const listed = new Set(plan.previous)
  const problems: Problem[] = []
  const seenFolders = new Set<string>()
  const checkFolders = (path: string) => {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const sub = parts.slice(0, i).join('/')
      if (seenFolders.has(sub)) continue
      seenFolders.add(sub)
      const stats = lstatOrUndefined(join(real, sub))
      if (!stats) return
      if (stats.isDirectory()) continue
      const wrong = stats.isSymbolicLink()
        ? 'is a symbolic link; task-gen writes only into real folders inside its output folder'
        : 'is a file where task-gen writes a folder; move it away'
      problems.push(problem(folder, `${shown(join(folder.dir, sub))} ${wrong}`))
      return
    }
  }
  for (const path of files.keys()) {
    checkFolders(path)
    const stats = lstatOrUndefined(join(real, path))
    if (!stats) continue
    if (stats.isDirectory()) problems.push(problem(folder, `${shown(join(folder.dir, path))} is a folder where task-gen writes a file; move it away`))
    else if (!listed.has(path))
      problems.push(problem(folder, `${shown(join(folder.dir, path))} is not task-gen's (${MARKER_FILE} does not list it); move it away`))
  }
  for (const path of listed) if (!files.has(path)) checkFolders(path)
  return problems
}

interface Plan {
  real: string
  /** What the folder's marker lists; undefined when the folder is missing or empty. */
  previous: string[] | undefined
  /** For a versioned package: which versions stay and which go. */
  versions?: { spec: PackageVersions; plan: VersionPlan }
}

/** The version folder the package on disk names, when task-gen wrote both the commit file and that folder. */
function committedFolder(real: string, previous: readonly string[], spec: PackageVersions): string | undefined {
  if (!previous.includes(spec.commit) || !lstatOrUndefined(join(real, spec.commit))?.isFile()) return undefined
  const folder = spec.committedFolder(readFileSync(join(real, spec.commit), 'utf8'))
  if (folder === undefined || folder === '') return folder
  return previous.some((path) => versionFolderOf(path) === folder) ? folder : undefined
}

/**
 * What `check` can say without building the package: the folder must be one task-gen may own
 * (not the project, not a handler's folder, not someone else's files). Problems, none when fine.
 */
export function outputFolderProblems(folder: OutputFolder): Problem[] {
  const real = realPathOf(folder.dir)
  const owned = ownership(folder, real)
  const guarded = protectionProblem(folder, real, new Set(owned.ok ? (owned.previous ?? []) : []))
  if (guarded) return [guarded]
  return owned.ok ? [] : [owned.problem]
}

/**
 * Throws a UserError, having written nothing, unless task-gen may write `files` into the folder:
 * see `writeOutputFolder`.
 */
export function checkOutputFolder(folder: OutputFolder, files: OutputFiles, versions?: PackageVersions): Plan {
  const plan = checkOwnership(folder, files, versions)
  const problems = pathProblems(folder, plan, files)
  if (problems.length > 0) throw new UserError(problems)
  return plan
}

/**
 * The part of `checkOutputFolder` that another task-gen writing the folder cannot change: the
 * folder is task-gen's and no protected path is in it. Which files the marker lists can change
 * while a writer runs (its marker is replaced before its files are written), so that is checked
 * only under the lock.
 */
function checkOwnership(folder: OutputFolder, files: OutputFiles, versions?: PackageVersions): Plan {
  const real = realPathOf(folder.dir)
  const owned = ownership(folder, real)
  const previous = owned.ok ? (owned.previous ?? []) : []
  const plan = versions ? planVersions(previous, committedFolder(real, previous, versions), versions.folder) : undefined
  // Only what is there after this run: a file the old marker lists but the new package lacks (and no kept version has) would be deleted.
  const guarded = protectionProblem(folder, real, new Set([...files.keys(), ...(plan?.keep ?? [])]))
  if (guarded) throw new UserError([guarded])
  if (!owned.ok) throw new UserError([owned.problem])
  return { real, previous: owned.previous, ...(versions && plan ? { versions: { spec: versions, plan } } : {}) }
}

function tempName(dir: string): string {
  return join(dir, tempFileName(randomBytes(6).toString('hex')))
}

/** Writes a whole file under a temporary name beside it, then renames it over the old one: a reader sees the old file or the new, never a part. */
function replaceFile(target: string, content: string | Uint8Array, temps: Set<string>): void {
  const temp = tempName(dirname(target))
  temps.add(temp)
  writeFileSync(temp, content, { flag: 'wx' })
  renameSync(temp, target)
  temps.delete(temp)
}

/** Replaces the file unless it holds `content` already. */
function updateFile(target: string, content: string | Uint8Array, temps: Set<string>): void {
  if (hasContent(target, content)) return
  if (!lstatOrUndefined(dirname(target))) mkdirSync(dirname(target), { recursive: true })
  replaceFile(target, content, temps)
}

function hasContent(path: string, content: string | Uint8Array): boolean {
  try {
    return lstatSync(path).isFile() && readFileSync(path).equals(typeof content === 'string' ? Buffer.from(content) : content)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/** Temporary files of runs that ended before cleaning up (killed), in the folders this run writes. */
function removeLeftoverTemps(real: string, paths: Iterable<string>): void {
  const folders = new Set([real, ...[...paths].map((path) => dirname(join(real, path)))])
  for (const dir of folders) {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      continue
    }
    for (const name of names) {
      const pid = tempFilePid(name)
      // A live process's temporary file (a waiter's lock attempt) is its own to remove.
      if (pid === undefined || pid === process.pid || isRunning(pid)) continue
      if (lstatOrUndefined(join(dir, name))?.isFile()) rmSync(join(dir, name), { force: true })
    }
  }
}

/** Removes a file an earlier run wrote, then the folders it leaves empty (also when a killed run removed the file already), up to the output folder. */
function removeListed(real: string, path: string): void {
  const file = join(real, path)
  const stats = lstatOrUndefined(file)
  if (stats?.isDirectory()) return
  if (stats) rmSync(file, { force: true })
  for (let dir = dirname(file); dir !== real && isSameOrInside(dir, real); dir = dirname(dir)) {
    try {
      rmdirSync(dir)
    } catch {
      return // not empty: it holds something else, kept
    }
  }
}

/** Removes `dir` and its parents up to `top` while they are empty: folders this run made and left unused. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let at = dir; isSameOrInside(at, top); at = dirname(at)) {
    try {
      rmdirSync(at)
    } catch {
      return
    }
  }
}

/** What the folder holds besides task-gen's files: folders without any of them are named once, with a trailing `/`. */
function unlistedEntries(real: string, kind: OutputKind, listed: ReadonlySet<string>): string[] {
  const found: string[] = []
  const holdsListed = (prefix: string) => [...listed].some((path) => path.startsWith(prefix))
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(real, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (isReservedName(entry.name) || listed.has(path) || (kind === 'synth' && TERRAFORM_FILES.has(entry.name))) continue
      if (!entry.isDirectory()) found.push(path)
      else if (holdsListed(`${path}/`)) walk(path)
      else found.push(`${path}/`)
    }
  }
  walk('')
  return found.sort()
}

/**
 * The swap. The marker first lists every file of the old and the new package (so that a run
 * killed half-way leaves nothing of task-gen's unlisted), then each new file replaces its old
 * version by rename, then the files only the old package had are deleted, and the marker is
 * rewritten last. The folder always exists and every file in it is always whole.
 *
 * A versioned package (see PackageVersions) also never shows a mix of versions: the new
 * version folder is written whole before the commit file names it, the pointers follow, and
 * the version the package named before is kept whole; only versions older than that one go,
 * before anything new is written.
 */
function replaceFiles(plan: Plan, kind: OutputKind, files: OutputFiles): WriteReport {
  const { real } = plan
  const previous = plan.previous ?? []
  const versions = plan.versions
  const keep = versions?.plan.keep ?? []
  const removeFirst = new Set(versions?.plan.removeFirst)
  const last = versions ? [versions.spec.commit, ...versions.spec.pointers.keys()] : []
  const temps = new Set<string>()
  try {
    removeLeftoverTemps(real, [...previous, ...files.keys()])
    if (versions) repairPointers(plan, versions, temps)
    for (const path of removeFirst) removeListed(real, path)
    const listed = previous.filter((path) => !removeFirst.has(path))
    const marker = join(real, MARKER_FILE)
    const everything = markerText(kind, [...listed, ...files.keys()])
    if (!hasContent(marker, everything)) replaceFile(marker, everything, temps)
    for (const [path, content] of files) if (!last.includes(path)) updateFile(join(real, path), content, temps)
    for (const path of last) updateFile(join(real, path), files.get(path)!, temps)
    const kept = new Set(keep)
    for (const path of listed) if (!files.has(path) && !kept.has(path)) removeListed(real, path)
    const final = markerText(kind, [...files.keys(), ...keep])
    if (!hasContent(marker, final)) replaceFile(marker, final, temps)
  } finally {
    for (const temp of temps) rmSync(temp, { force: true })
  }
  return { kept: unlistedEntries(real, kind, new Set([...files.keys(), ...keep])) }
}

/**
 * Points every pointer back at the version the commit file names, before older versions are
 * removed: a run killed between its commit and its pointers left them on another version.
 */
function repairPointers(plan: Plan, versions: NonNullable<Plan['versions']>, temps: Set<string>): void {
  const { current } = versions.plan
  if (current === undefined || current === '') return
  for (const [path, text] of versions.spec.pointers) {
    if ((plan.previous ?? []).includes(path) && lstatOrUndefined(join(plan.real, path))?.isFile()) updateFile(join(plan.real, path), text(current), temps)
  }
}

/**
 * Writes `files` into the folder, which must be missing, empty, or marked as task-gen's output
 * of this kind; otherwise, or when it is or contains a protected path, throws a UserError
 * naming `folder.source` and writes nothing. Only files the previous marker lists are ever
 * replaced or deleted; anything else in the folder is kept (and reported). Concurrent runs on
 * one folder take turns: a run waits for another to finish, up to `lock.waitMs`.
 */
export async function writeOutputFolder(folder: OutputFolder, files: OutputFiles, options: WriteOptions = {}): Promise<WriteReport> {
  const unsafe = [...files.keys()].find((path) => !isSafeRelativePath(path))
  if (unsafe !== undefined) throw new Error(`internal: ${JSON.stringify(unsafe)} is not a file name task-gen may write into an output folder`)
  const { versions } = options
  const { real } = checkOwnership(folder, files, versions)
  const created = mkdirSync(real, { recursive: true })
  try {
    // Checked again under the lock: another run may have changed the folder since.
    return await withFileLock({ file: join(real, LOCK_FILE), tempFile: tempName(real), ...options.lock }, () =>
      replaceFiles(checkOutputFolder(folder, files, versions), folder.kind, files),
    )
  } catch (error) {
    if (created !== undefined) removeEmptyFolders(real, created) // a refused run leaves no new empty folder behind
    if (error instanceof ForeignLockError) {
      throw new UserError([
        problem(
          folder,
          `the output folder ${shown(folder.dir)} holds a ${LOCK_FILE} that task-gen did not write; task-gen keeps that name for itself: move the file away`,
        ),
      ])
    }
    if (!(error instanceof LockBusyError)) throw error
    const who = error.holder ? `another task-gen (pid ${error.holder.pid})` : 'another task-gen'
    throw new UserError([
      problem(
        folder,
        `${who} is writing the output folder ${shown(folder.dir)}; try again when it has finished (if no task-gen is running, delete ${shown(join(folder.dir, LOCK_FILE))})`,
      ),
    ])
  }
}

/**
 * What `writeOutputFolder` would change: files of the package (and its marker) that are missing
 * or differ, and files the marker lists that the package no longer has. Files task-gen did not
 * write are not stale: it would keep them. Throws a UserError as `writeOutputFolder` does.
 */
export function staleOutputFiles(folder: OutputFolder, files: OutputFiles, versions?: PackageVersions): string[] {
  const plan = checkOutputFolder(folder, files, versions)
  const { real } = plan
  const keep = new Set(plan.versions?.plan.keep)
  const current = plan.versions?.plan.current
  const otherVersion = plan.versions !== undefined && current !== undefined && current !== '' && current !== plan.versions.spec.folder
  const stale = otherVersion
    ? staleAgainstVersion(files, { real, spec: plan.versions!.spec, current })
    : [...files].filter(([path, content]) => !hasContent(join(real, path), content)).map(([path]) => path)
  // A new version changes the marker anyway: it is named only when the file list alone differs.
  if (!otherVersion && !hasContent(join(real, MARKER_FILE), markerText(folder.kind, [...files.keys(), ...keep]))) stale.push(MARKER_FILE)
  for (const path of plan.previous ?? []) {
    if (files.has(path) || keep.has(path) || (otherVersion && versionFolderOf(path) !== undefined)) continue
    if (lstatOrUndefined(join(real, path))) stale.push(path)
  }
  return [...new Set(stale)].sort()
}

/**
 * The files of the package that differ from the version the folder holds now, by their names
 * in the package (`index.d.ts`, not its path in a version folder): the new version's name
 * alone, in package.json and the pointers, is no difference of its own.
 */
function staleAgainstVersion(files: OutputFiles, on: { real: string; spec: PackageVersions; current: string }): string[] {
  const { real, spec, current } = on
  const prefix = `${spec.folder}/`
  const stale: string[] = []
  for (const [path, content] of files) {
    const inVersion = path.startsWith(prefix)
    const name = inVersion ? path.slice(prefix.length) : path
    const pointer = spec.pointers.get(path)
    const expected = pointer
      ? pointer(current)
      : path === spec.commit
        ? Buffer.from(content).toString('utf8').split(`./${prefix}`).join(`./${current}/`)
        : content
    if (!hasContent(join(real, inVersion ? `${current}/${name}` : path), expected)) stale.push(name)
  }
  return stale
}

/** The line that tells the user what a write kept, or undefined when it kept nothing. */
export function keptNote(dir: string, report: WriteReport): string | undefined {
  if (report.kept.length === 0) return undefined
  const count = report.kept.length === 1 ? '1 entry' : `${report.kept.length} entries`
  return `note: kept ${count} that task-gen did not write in ${shown(dir)}: ${listNames(report.kept)}`
}
