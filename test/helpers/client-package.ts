import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'

/** The folder package.json's main entry is in, relative to the package: its version folder, as Node and TypeScript resolve it. */
export function versionFolder(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: { '.': { default: string } } }
  return posix.normalize(dirname(pkg.exports['.'].default))
}

/** The path of a file of a generated client package (`index.d.ts`, `manifest.js`, …) in the version package.json names. */
export function packageFile(dir: string, name: string): string {
  return join(dir, versionFolder(dir), name)
}

/** The package as a reader sees it through package.json, by path in the package: package.json, README.md and the files of its version. */
export function resolvedPackage(dir: string): Record<string, string> {
  const version = join(dir, versionFolder(dir))
  const files: Record<string, string> = {}
  for (const name of ['package.json', 'README.md']) files[name] = readFileSync(join(dir, name), 'utf8')
  for (const name of readdirSync(version).sort()) files[name] = readFileSync(join(version, name), 'utf8')
  return files
}
