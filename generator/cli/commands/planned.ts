import { commonOptions, failureFilterOptions, type CommandSpec } from '../commands.js'

/** Commands of the CLI contract (DESIGN.md) that are not built yet: they exist, show help, and say so. */
export const plannedCommands: CommandSpec[] = [
  {
    name: 'dev',
    summary: 'run the tasks locally with Lambda\'s async semantics',
    options: {
      ...commonOptions,
      port: { type: 'string', value: '<port>', description: 'port of the local Lambda endpoint' },
      'retry-delay': { type: 'string', value: '<duration>', description: 'delay before each retry, e.g. "1 second" (default: as Lambda)' },
    },
  },
  {
    name: 'failures replay',
    summary: 're-invoke failed events, deleting each only once Lambda accepted it',
    options: {
      ...commonOptions,
      ...failureFilterOptions,
      'dry-run': { type: 'boolean', description: 'show what would be replayed' },
      local: { type: 'boolean', description: 'replay from the local store of `task-gen dev`' },
    },
  },
]
