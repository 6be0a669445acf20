// The second runtime the generate and synth benchmarks run under: Node 22, from the npm registry's
// `node` package, installed by the bench into a folder of its own (bench/.work/node22, git-ignored).
// Never a requirement of the tests: only the bench installs it, and only when its Node 22 part runs.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

/** The major the bench installs, and the package spec it asks npm for. */
export const NODE22_MAJOR = 22
const NODE22_SPEC = `node@${NODE22_MAJOR}`

/** Where the `node` package puts its binary under an `npm install --prefix <dir>`. */
export function node22BinaryPath(dir: string): string {
  return join(dir, 'node_modules', 'node', 'bin', 'node')
}

/** The Node 22 binary installed in `dir`, when there is one; undefined otherwise (no download). */
export function node22Binary(dir: string): string | undefined {
  const binary = node22BinaryPath(dir)
  return existsSync(binary) ? binary : undefined
}

/** What `<binary> --version` prints (`v22.x.y`), or undefined when it does not run. */
export function nodeVersionOf(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim()
  } catch {
    return undefined
  }
}

/** The install itself: `npm install node@22 --prefix <dir> --no-audit --no-fund`; throws with npm's output when it fails. */
export function npmInstallNode22(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const run = spawnSync(npm, ['install', NODE22_SPEC, '--prefix', dir, '--no-audit', '--no-fund', '--no-save'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  })
  if (run.error || run.status !== 0) {
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n')
    throw new Error(`npm install ${NODE22_SPEC} --prefix ${dir} failed (${run.error?.message ?? `exit ${run.status}`})\n${output}`)
  }
}

/** A Node 22 the benchmarks can spawn: its binary, its version, and the environment every Node 22 contender runs with. */
export interface Node22 {
  binary: string
  version: string
  /** NODE_COMPILE_CACHE: the bench's own compile-cache folder (see `prepareNode22`). */
  env: NodeJS.ProcessEnv
  /** The same with the compile cache off (NODE_DISABLE_COMPILE_CACHE=1), for the contender that shows what it buys. */
  envWithoutCompileCache: NodeJS.ProcessEnv
}

/**
 * The Node 22 in `dir`, installed first when it is missing or is not a Node 22 (`install` is the
 * npm install, replaceable in tests). Throws, saying what failed, when there is still none after it.
 *
 * The compile cache (bin/task-gen.js and tsc both call `module.enableCompileCache()`) would by
 * default live in the OS temp folder, filled or not by whatever ran before; the bench gives it a
 * folder of its own (`compileCacheDir`, emptied here), so that every Node 22 contender starts from
 * the same state: the benchmarks fill it with one untimed run of each contender before timing, so
 * the timed runs find it warm, as a user's second and later runs do.
 */
export function prepareNode22(dir: string, compileCacheDir: string, log: (line: string) => void, install: (dir: string) => void = npmInstallNode22): Node22 {
  let binary = node22Binary(dir)
  let version = binary ? nodeVersionOf(binary) : undefined
  if (!version?.startsWith(`v${NODE22_MAJOR}.`)) {
    log(`  installing Node ${NODE22_MAJOR} into ${dir} (npm install ${NODE22_SPEC}: a 125 MB binary) …`)
    install(dir)
    binary = node22Binary(dir)
    version = binary ? nodeVersionOf(binary) : undefined
  }
  if (!binary) throw new Error(`no Node ${NODE22_MAJOR} binary at ${node22BinaryPath(dir)} after npm install ${NODE22_SPEC} --prefix ${dir}`)
  if (!version?.startsWith(`v${NODE22_MAJOR}.`))
    throw new Error(`${binary} is not a Node ${NODE22_MAJOR}: \`${binary} --version\` printed ${version === undefined ? 'nothing (it did not run)' : version}`)
  rmSync(compileCacheDir, { recursive: true, force: true })
  mkdirSync(compileCacheDir, { recursive: true })
  return {
    binary,
    version,
    env: { NODE_COMPILE_CACHE: compileCacheDir },
    envWithoutCompileCache: { NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: '1' },
  }
}

/** The banner a failed Node 22 part prints (twice: when it fails, and again at the end of the run). */
export function node22FailureBanner(error: unknown): string {
  const line = '!'.repeat(100)
  return [line, `!!! The bench's Node ${NODE22_MAJOR} part FAILED: its contenders did not run, and the bench exits 1.`, String(error), line].join('\n')
}
