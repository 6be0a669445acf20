/** Where a command writes; a test passes its own to read the output. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}

export const EXIT = { ok: 0, problem: 1, usage: 2 } as const
