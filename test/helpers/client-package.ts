import { readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'

/** The files of a client package that stay at the top of its folder; the others are in its version folder. */
const TOP_FILES = ['README.md', 'package.json']

/** The folder a package.json's main entry is in: the package's version folder, as Node and TypeScript resolve it. */
export function mainFolder(packageJson: string): string {
  const pkg = JSON.parse(packageJson) as { exports: { '.': { default: string } } }
  return posix.dirname(posix.normalize(pkg.exports['.'].default))
}

/** The version folder the package.json in `dir` names. */
export function versionFolder(dir: string): string {
  return mainFolder(readFileSync(join(dir, 'package.json'), 'utf8'))
}

/** The path of a file of a generated client package (`index.d.ts`, `manifest.js`, …) in the version its package.json names. */
export function packageFile(dir: string, name: string): string {
  return join(dir, versionFolder(dir), name)
}

/** The files of a folder, by name. */
export function folderFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  )
}

/** The package as a reader sees it through package.json, by path in the package: package.json, README.md and the files of its version. */
export function resolvedPackage(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const name of TOP_FILES) files[name] = readFileSync(join(dir, name), 'utf8')
  return { ...files, ...folderFiles(join(dir, versionFolder(dir))) }
}

/** A package's files (as `GeneratedClient.files` has them) without those at the top: what its version folder holds. */
export function versionContent(files: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries([...files].filter(([path]) => !TOP_FILES.includes(path)).sort(([a], [b]) => (a < b ? -1 : 1)))
}
