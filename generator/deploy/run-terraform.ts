import { spawn } from 'node:child_process'
import { EnvironmentError } from '../errors/environment-error.js'
import { terraformCliConfigEnv } from './terraform-cli-config.js'

export interface TerraformRun {
  code: number
  /** stdout and stderr, interleaved as terraform wrote them. */
  output: string
}

/**
 * Runs terraform in `cwd`. Interactive runs share the terminal (so that terraform can ask);
 * others are captured, to be shown only when they fail.
 */
export function runTerraform(args: readonly string[], cwd: string, interactive = false): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, {
      cwd,
      env: { ...process.env, ...terraformCliConfigEnv(), TF_IN_AUTOMATION: interactive ? '' : '1', CHECKPOINT_DISABLE: '1' },
      stdio: interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    // Spawning fails only for reasons of the machine (not installed, not executable): the user's to fix.
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new EnvironmentError(
          error.code === 'ENOENT'
            ? 'terraform was not found on PATH; install Terraform 1.11 or later and put it on PATH'
            : `terraform could not be started (${error.message}); check the terraform on PATH`,
        ),
      )
    })
    child.once('close', (code) => resolve({ code: code ?? 1, output }))
  })
}
