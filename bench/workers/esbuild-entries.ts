// The synth baseline: esbuild bundling the handler entries alone, in one call, with the options
// synth bundles with (generator/bundle/bundle-functions.ts and the model's defaults): node22,
// ESM, minified, @aws-sdk external. Argv: <entries.json> <outdir>.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

const [entriesFile, outdir] = process.argv.slice(2) as [string, string]
const entryPoints = JSON.parse(readFileSync(entriesFile, 'utf8')) as string[]
await build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  external: ['@aws-sdk/*'],
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  logLevel: 'silent',
})
