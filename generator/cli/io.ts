export { processIo, type CliIo } from '../process/io.js'

/** 1: the user's config, handlers, tools or cloud; 2: how the CLI was called; 70 (sysexits' EX_SOFTWARE): a bug in task-gen. */
export const EXIT = { ok: 0, problem: 1, usage: 2, internal: 70 } as const
