import type { CommandSpec, OptionSpec } from './commands.js'

function flag(name: string, option: OptionSpec): string {
  const short = option.short ? `-${option.short}, ` : '    '
  return `${short}--${name}${option.value ? ` ${option.value}` : ''}`
}

export function commandHelp(command: CommandSpec): string {
  const flags = Object.entries(command.options).map(([name, option]) => [flag(name, option), option.description] as const)
  const width = Math.max(...flags.map(([f]) => f.length))
  const usage = `task-gen ${command.name}${command.positionals ? ` ${command.positionals}` : ''} [options]`
  return [`Usage: ${usage}`, '', command.summary, '', 'Options:', ...flags.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`)].join('\n')
}

function commandList(commands: readonly CommandSpec[]): string[] {
  const width = Math.max(...commands.map((c) => c.name.length))
  return commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
}

/** `task-gen failures --help`: the commands that start with that word. */
export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  return [
    `Usage: task-gen ${group} <command> [options]`,
    '',
    'Commands:',
    ...commandList(commands),
    '',
    `Run \`task-gen ${group} <command> --help\` for the options of a command.`,
  ].join('\n')
}

export function mainHelp(commands: readonly CommandSpec[], version: string): string {
  return [
    `task-gen ${version}: typed, fire-and-forget background tasks on AWS Lambda`,
    '',
    'Usage: task-gen [command] [options]',
    '',
    'Commands:',
    ...commandList(commands),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version of task-gen',
    '',
    'Run `task-gen <command> --help` for the options of a command.',
    'Exit codes: 0 success; 1 a problem with the config, the handlers, a tool, the network or the cloud;',
    '  2 bad usage; 70 an internal error (a bug in task-gen: please report it).',
  ].join('\n')
}
