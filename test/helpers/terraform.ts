// Runs the real terraform binary offline against the project's provider mirror.
// See docs/testing.md. Never skips: missing tools are errors.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { providerMirrorConfig } from '../../generator/deploy/terraform-cli-config.js'

export const TF_PLUGIN_MIRROR = '/opt/tf-plugins'
export const TF_AWS_MIRROR = `${TF_PLUGIN_MIRROR}/registry.terraform.io/hashicorp/aws`

export const TERRAFORM_CLI_CONFIG = providerMirrorConfig(TF_PLUGIN_MIRROR)

export type TerraformResult = { code: number; stdout: string; stderr: string }
export type TerraformOptions = { cwd: string; env: Record<string, string> }

/** Writes the project's own Terraform CLI config file into `dir` and returns its path. */
export function writeTerraformCliConfig(dir: string): string {
  const file = join(dir, 'terraform.rc')
  writeFileSync(file, TERRAFORM_CLI_CONFIG)
  return file
}

/** Runs `fn` with a fresh temp CLI config file, removing it afterwards. */
async function withCliConfig<T>(fn: (configFile: string) => Promise<T> | T): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tf-cli-'))
  try {
    return await fn(writeTerraformCliConfig(dir))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function terraformEnv(configFile: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...extra,
    TF_CLI_CONFIG_FILE: configFile,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
  }
}

/** Throws a loud error unless `terraform` runs and the AWS provider mirror exists. */
export function requireTerraform(awsMirror: string = TF_AWS_MIRROR): void {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-'))
  let res: SpawnSyncReturns<string>
  try {
    res = spawnSync('terraform', ['version'], {
      encoding: 'utf8',
      env: terraformEnv(writeTerraformCliConfig(dir), {}),
      timeout: 30_000,
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  if (res.error || res.status !== 0) {
    const why = res.error ? res.error.message : `exit code ${String(res.status)}: ${res.stderr}`
    throw new Error(`terraform is missing or broken: \`terraform version\` failed (${why}). Install terraform 1.11.4 on PATH.`)
  }
  if (!existsSync(awsMirror)) {
    throw new Error(
      `terraform AWS provider mirror is missing: ${awsMirror} does not exist. ` +
        `Provide hashicorp/aws 5.100.0 in the filesystem mirror at ${TF_PLUGIN_MIRROR}.`,
    )
  }
}

/** Runs terraform with the project CLI config; resolves with the exit code and output. */
export function runTerraform(args: string[], opts: TerraformOptions): Promise<TerraformResult> {
  return withCliConfig((configFile) => spawnTerraform(args, opts, configFile))
}

function spawnTerraform(args: string[], opts: TerraformOptions, configFile: string): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, {
      cwd: opts.cwd,
      env: terraformEnv(configFile, opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    child.once('error', (err) => reject(new Error(`could not run terraform ${args.join(' ')}: ${err.message}`)))
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }))
  })
}

/** Like runTerraform, but throws (with stdout and stderr) on a non-zero exit code. */
export async function terraformOk(args: string[], opts: TerraformOptions): Promise<TerraformResult> {
  const res = await runTerraform(args, opts)
  if (res.code !== 0) {
    throw new Error(
      `terraform ${args.join(' ')} failed with exit code ${res.code} in ${opts.cwd}\n` + `--- stdout ---\n${res.stdout}\n--- stderr ---\n${res.stderr}`,
    )
  }
  return res
}

/** A resource of `terraform show -json`: its values by the provider's attribute names. */
export interface ShownResource {
  type: string
  name: string
  values: Record<string, any>
}

/** The root module's resources of the applied stack in `opts.cwd`, as `terraform show -json` reads them back. */
export async function shownResources(opts: TerraformOptions): Promise<ShownResource[]> {
  const shown = await terraformOk(['show', '-json', '-no-color'], opts)
  return (JSON.parse(shown.stdout) as { values: { root_module: { resources: ShownResource[] } } }).values.root_module.resources
}
