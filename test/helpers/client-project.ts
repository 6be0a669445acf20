import { spawnSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { buildClient, writeClient } from '../../generator/generate.js'
import { REPO_ROOT } from './run-cli.js'
import { CONSUMER_TSCONFIG, runTsc } from './tsc.js'

export interface ClientProject {
  /** The generated package, installed in the consumer as `client`. */
  clientDir: string
  /** An application folder that depends on the package (its SDK resolves), ready for tsc. */
  consumerDir: string
  files: Map<string, string>
}

/** Writes files (paths relative to `projectDir`, which holds task-gen.json) and returns the config's path. */
export function writeProject(projectDir: string, config: Record<string, unknown>, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(projectDir, path)), { recursive: true })
    writeFileSync(join(projectDir, path), text)
  }
  const configFile = join(projectDir, 'task-gen.json')
  writeFileSync(configFile, JSON.stringify(config, null, 2))
  return configFile
}

/** Generates the client of the project at `configFile` into a consumer application under `root`. */
export async function generateInto(root: string, configFile: string): Promise<ClientProject> {
  const consumerDir = join(root, 'consumer')
  const clientDir = join(consumerDir, 'node_modules', 'client')
  const client = await buildClient({ configFile, out: clientDir })
  await writeClient(client)
  writeFileSync(join(consumerDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  writeFileSync(join(consumerDir, 'tsconfig.json'), CONSUMER_TSCONFIG)
  mkdirSync(join(root, 'node_modules'), { recursive: true })
  // The package's one dependency, as an installed application would have it.
  symlinkSync(join(REPO_ROOT, 'node_modules', '@aws-sdk'), join(root, 'node_modules', '@aws-sdk'))
  return { clientDir, consumerDir, files: client.files }
}

/** Type-checks `source` as the consumer's main.ts against the generated package. */
export function typeCheckConsumer(project: ClientProject, source: string): { code: number; output: string } {
  writeFileSync(join(project.consumerDir, 'main.ts'), source)
  return runTsc(project.consumerDir)
}

/** Runs an ES module's `source` with node in the consumer's folder (a separate process: whatever it runs cannot touch the test's). */
export function runInConsumer(project: ClientProject, source: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: project.consumerDir, encoding: 'utf8' })
  if (result.error) throw result.error
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}
