import { spawnSync } from 'node:child_process'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { REPO_ROOT } from './run-cli.js'

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url))

/** Runs the JavaScript TypeScript compiler (the project's pinned one) on a tsconfig; returns its output. */
export function runTsc(project: string): { code: number; output: string } {
  const result = spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' })
  if (result.error) throw result.error
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` }
}

/** A consumer's tsconfig: strict, NodeNext, as an application that installs the client would have. */
export const CONSUMER_TSCONFIG = JSON.stringify(
  {
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: [], noEmit: true },
    include: ['*.ts'],
  },
  null,
  2,
)

/** The diagnostics of type-checking one file of the repository with its tsconfig. */
export function typeErrors(file: string): string[] {
  const { config } = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.json'), ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT)
  const program = ts.createProgram([join(REPO_ROOT, file)], options)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (!d.file || d.start === undefined) return message
    const line = d.file.getLineAndCharacterOfPosition(d.start).line
    // The line itself: in a table of type-level checks, it names the check that failed.
    return `${relative(REPO_ROOT, d.file.fileName)}:${line + 1} (${d.file.text.split('\n')[line]!.trim()}): ${message}`
  })
}
