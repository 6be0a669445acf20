import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { UserError } from '../errors/problem.js'

/** The environment variable that points terraform at a local copy of the AWS provider. */
export const PROVIDER_MIRROR_VARIABLE = 'TASK_GEN_PROVIDER_MIRROR'

const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws'

/** A Terraform CLI config that installs the AWS provider from `mirror` and every other provider as usual. */
export function providerMirrorConfig(mirror: string): string {
  const path = JSON.stringify(mirror) // HCL strings escape as JSON strings do
  return [
    'provider_installation {',
    `  filesystem_mirror {\n    path    = ${path}\n    include = ["${AWS_PROVIDER}"]\n  }`,
    `  direct {\n    exclude = ["${AWS_PROVIDER}"]\n  }`,
    '}',
    '',
  ].join('\n')
}

let written: { mirror: string; file: string } | undefined

/** Writes the CLI config once per process, in a temporary folder removed when the process exits. */
function cliConfigFile(mirror: string): string {
  if (written?.mirror === mirror) return written.file
  const dir = mkdtempSync(join(tmpdir(), 'task-gen-terraform-'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'terraform.rc')
  writeFileSync(file, providerMirrorConfig(mirror))
  written = { mirror, file }
  return file
}

function mirrorProblem(message: string): UserError {
  return new UserError([{ code: 'environment', path: PROVIDER_MIRROR_VARIABLE, message }])
}

/**
 * What terraform needs in its environment to find the AWS provider: with
 * `TASK_GEN_PROVIDER_MIRROR` set, a CLI config that reads the provider from that folder (in place
 * of any `TF_CLI_CONFIG_FILE`), so that deploy works offline or behind a mirror.
 */
export function terraformCliConfigEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const mirror = env[PROVIDER_MIRROR_VARIABLE]
  if (mirror === undefined || mirror === '') return {}
  const folder = isAbsolute(mirror) ? mirror : resolve(mirror)
  let isFolder = false
  try {
    isFolder = statSync(folder).isDirectory()
  } catch {
    throw mirrorProblem(
      `the provider mirror ${JSON.stringify(mirror)} does not exist; set it to a folder laid out as \`terraform providers mirror\` writes it (it holds ${AWS_PROVIDER}/…)`,
    )
  }
  if (!isFolder) throw mirrorProblem(`the provider mirror ${JSON.stringify(mirror)} is a file, not a folder`)
  return { TF_CLI_CONFIG_FILE: cliConfigFile(folder) }
}
