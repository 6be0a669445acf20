import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url))

/** Runs the JavaScript TypeScript compiler (the project's pinned one) on a tsconfig; returns its output. */
export function runTsc(project: string): { code: number; output: string } {
  const result = spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' })
  if (result.error) throw result.error
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` }
}

/** A consumer's tsconfig: strict, NodeNext, as an application that installs the client would have. */
export const CONSUMER_TSCONFIG = JSON.stringify(
  { compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: [], noEmit: true }, include: ['*.ts'] },
  null,
  2,
)
