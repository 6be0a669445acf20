export { processIo, type CliIo } from '../process/io.js'

export const EXIT = { ok: 0, problem: 1, usage: 2 } as const
