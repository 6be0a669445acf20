import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './run-cli.js'

/** What boto3 made of one Invoke: its fields (the payload as text, the tail log decoded), or the error it raised. */
export interface Boto3Answer {
  StatusCode?: number
  FunctionError?: string | null
  ExecutedVersion?: string | null
  Payload?: string
  Log?: string
  error?: { Code: string; Message: string; HTTPStatusCode?: number }
}

/** Runs `calls` (boto3 `invoke` parameters; a non-string Payload is sent as JSON) one after another with boto3 in python3. */
export function invokeWithBoto3(endpoint: string, calls: Record<string, unknown>[], region = 'us-east-1'): Promise<Boto3Answer[]> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', [join(REPO_ROOT, 'test/helpers/boto3-lambda.py')], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`boto3 failed: ${error.message}\n${stderr}`))
      resolve(JSON.parse(stdout) as Boto3Answer[])
    })
    child.stdin!.end(JSON.stringify({ endpoint, region, calls }))
  })
}
