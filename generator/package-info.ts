import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder of task-gen's own package.json, found from this file whether it runs from source or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "task-gen"')) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('task-gen: cannot find its own package.json')
    dir = parent
  }
  return dir
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
}

/** A runtime/ module to bundle: the compiled JavaScript when task-gen runs from dist/, else the TypeScript source. */
export function runtimeModule(path: string): string {
  const root = packageRoot()
  const compiled = join(root, 'dist', 'runtime', `${path}.js`)
  return import.meta.url.includes('/dist/') && existsSync(compiled) ? compiled : join(root, 'runtime', `${path}.ts`)
}
