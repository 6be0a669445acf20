/**
 * Type-level checks, run by `npm run typecheck`: a command's `run` sees the values of its own
 * options, typed from their parseArgs spec, so that a misspelled or undeclared option does not compile.
 */
import { generateCommand } from '../../generator/cli/commands/generate.js'
import { failuresReplayCommand } from '../../generator/cli/commands/failures.js'
import { defineCommand, type CommandSpec } from '../../generator/cli/commands.js'

type Values<C extends { run(input: never): unknown }> = Parameters<C['run']>[0]['values']

export const out: string | undefined = ({} as Values<typeof generateCommand>).out
export const check: boolean | undefined = ({} as Values<typeof generateCommand>).check
// @ts-expect-error a string option is not a boolean
export const outFlag: boolean | undefined = ({} as Values<typeof generateCommand>).out
// @ts-expect-error generate has no --dry-run
export const misspelled = ({} as Values<typeof generateCommand>)['dry-run']
export const dryRun: boolean | undefined = ({} as Values<typeof failuresReplayCommand>)['dry-run']

const listed = defineCommand({
  name: 'listed',
  summary: 'a command with a repeatable option',
  options: { tag: { type: 'string', multiple: true, description: 'a tag' }, quiet: { type: 'boolean', description: 'say less' } },
  run: async ({ values }) => {
    const tags: string[] | undefined = values.tag
    const quiet: boolean | undefined = values.quiet
    // @ts-expect-error a repeatable option is a list
    const one: string | undefined = values.tag
    return tags === undefined && quiet === undefined && one === undefined ? 0 : 1
  },
})
// A command of its own options is a command of any options: main.ts lists them together.
export const commands: readonly CommandSpec[] = [listed, generateCommand, failuresReplayCommand]
