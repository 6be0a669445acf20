/** Where a command writes; a test passes its own to read the output. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}

/** 1: the user's config, handlers, tools or cloud; 2: how the CLI was called; 70 (sysexits' EX_SOFTWARE): a bug in task-gen. */
export const EXIT = { ok: 0, problem: 1, usage: 2, internal: 70 } as const
