import { parseArgs } from 'node:util'
import { UserError } from '../errors/problem.js'
import { EnvironmentError } from '../errors/environment-error.js'
import { describeInternalError } from '../errors/internal-error.js'
import { packageVersion } from '../package-info.js'
import { formatProblems } from '../errors/format-problems.js'
import { suggest } from '../config/suggest.js'
import { checkCommand } from './commands/check.js'
import { generateCommand } from './commands/generate.js'
import { synthCommand } from './commands/synth.js'
import { deployCommand, destroyCommand } from './commands/deploy.js'
import { failuresListCommand, failuresReplayCommand } from './commands/failures.js'
import { devCommand } from './commands/dev.js'
import { invokeCommand } from './commands/invoke.js'
import { UsageError, type CommandSpec } from './commands.js'
import { commandHelp, groupHelp, mainHelp } from './help.js'
import { EXIT, processIo, type CliIo } from './io.js'
import { condenseNodeSupportWarning } from './node-support.js'

/** Every command, in the order help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  generateCommand,
  checkCommand,
  synthCommand,
  deployCommand,
  destroyCommand,
  failuresListCommand,
  failuresReplayCommand,
  devCommand,
  invokeCommand,
].sort((a, b) => order(a.name) - order(b.name))

function order(name: string): number {
  return ['generate', 'check', 'synth', 'deploy', 'destroy', 'dev', 'invoke', 'failures list', 'failures replay'].indexOf(name)
}

/** Splits argv into the command and its arguments; bare `task-gen` and `task-gen --flag` mean generate. */
function findCommand(argv: readonly string[]): { command: CommandSpec; rest: string[] } | { unknown: string } | { group: string } | 'help' | 'version' {
  const [first, second] = argv
  if (first === undefined || first.startsWith('-')) {
    if (first === '--help' || first === '-h') return 'help'
    if (first === '--version' || first === '-v') return 'version'
    return { command: COMMANDS.find((c) => c.name === 'generate')!, rest: [...argv] }
  }
  if (first === 'help') return 'help'
  if (first === 'failures' && (second === '--help' || second === '-h')) return { group: 'failures' }
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`)
  if (two) return { command: two, rest: argv.slice(2) }
  const one = COMMANDS.find((c) => c.name === first)
  if (one) return { command: one, rest: argv.slice(1) }
  return { unknown: second !== undefined && !second.startsWith('-') && first === 'failures' ? `${first} ${second}` : first }
}

function usageError(io: CliIo, message: string, hint: string): number {
  io.stderr(`task-gen: ${message}`)
  io.stderr(hint)
  return EXIT.usage
}

/** parseArgs' message, with the nearest option suggested for one it does not know (`--confg` → `--config`). */
function parseFailure(command: CommandSpec, error: Error & { code?: string }): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(error.message)?.[1] : undefined
  if (unknown === undefined) return error.message
  const guess = suggest(unknown.replace(/^-+/, '').split('=')[0]!, Object.keys(command.options))
  return `unknown option "${unknown}"${guess ? `; did you mean "--${guess}"?` : ''}`
}

async function runCommand(command: CommandSpec, args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args, options: command.options, allowPositionals: command.positionals !== undefined, strict: true })
  } catch (error) {
    return usageError(io, parseFailure(command, error as Error & { code?: string }), `Run \`task-gen ${command.name} --help\` for its options.`)
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(command))
    return EXIT.ok
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io })
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message, `Run \`task-gen ${command.name} --help\` for its options.`)
    if (error instanceof EnvironmentError) return environmentError(io, command, error)
    if (!(error instanceof UserError)) throw error
    io.stderr(formatProblems(error.problems))
    const count = error.problems.length
    io.stderr(`task-gen ${command.name}: ${count} problem${count === 1 ? '' : 's'} found; nothing was written.`)
    return EXIT.problem
  }
}

function environmentError(io: CliIo, command: CommandSpec, error: EnvironmentError): number {
  if (error.details) io.stderr(error.details)
  io.stderr(`task-gen ${command.name}: ${error.message}`)
  return EXIT.problem
}

/** Runs the CLI and returns the exit code. Never calls process.exit, so that tests can call it. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const found = findCommand(argv)
  if (found === 'help') {
    io.stdout(mainHelp(COMMANDS, packageVersion()))
    return EXIT.ok
  }
  if (found === 'version') {
    io.stdout(packageVersion())
    return EXIT.ok
  }
  if ('group' in found) {
    io.stdout(
      groupHelp(
        found.group,
        COMMANDS.filter((c) => c.name.startsWith(`${found.group} `)),
      ),
    )
    return EXIT.ok
  }
  if ('unknown' in found) {
    const guess = suggest(
      found.unknown,
      COMMANDS.map((c) => c.name),
    )
    const hint = found.unknown === 'failures' ? '; use "failures list" or "failures replay"' : guess ? `; did you mean "${guess}"?` : ''
    return usageError(io, `unknown command "${found.unknown}"${hint}`, 'Run `task-gen --help` for the commands.')
  }
  const restoreWarnings = condenseNodeSupportWarning(io)
  try {
    return await runCommand(found.command, found.rest, io)
  } catch (error) {
    io.stderr(describeInternalError(error))
    return EXIT.internal
  } finally {
    restoreWarnings()
  }
}
