#!/usr/bin/env node
// The bin is plain JavaScript so that it runs on Node 20 without a TypeScript loader;
// it only forwards to the compiled CLI in dist/.
import { existsSync } from 'node:fs'
import module from 'node:module'

// Node >= 22.1 keeps the compiled code of task-gen and its dependencies (TypeScript is ~9 MB of
// JavaScript) on disk between runs; older Nodes lack it, and run as before.
module.enableCompileCache?.()
import { fileURLToPath } from 'node:url'

const entry = new URL('../dist/generator/cli/main.js', import.meta.url)
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  console.error(`task-gen: the CLI is not built (${fileURLToPath(entry)} is missing). Run \`npm run build\` in ${root}.`)
  process.exit(1)
}
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
