/** Where a command writes; a test passes its own to read the output. Neutral, so that dev writes through it without importing the CLI. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}
