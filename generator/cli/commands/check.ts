import { outputFolderProblems } from '../../fs/output-folder.js'
import { UserError } from '../../errors/problem.js'
import { clientOutputFolder, loadAndExtract } from '../../generate.js'
import { commonOptions, defineCommand } from '../commands.js'
import { printProjectNotes } from '../project-notes.js'
import { EXIT } from '../io.js'
import { configFileOption, stageOption } from '../options.js'

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'validate the config, the handler files and their payload types; writes nothing (for CI)',
  options: { ...commonOptions },
  async run({ values, io }) {
    const { model, extraction } = await loadAndExtract({ configFile: configFileOption(values), stage: stageOption(values) })
    // generate would refuse this folder: say so in CI, before anyone runs generate
    const folderProblems = outputFolderProblems(clientOutputFolder(model, extraction))
    if (folderProblems.length > 0) throw new UserError(folderProblems)
    printProjectNotes(io, extraction, model)
    const tasks = model.stacks.reduce((sum, stack) => sum + stack.tasks.length, 0)
    const onFailure = model.onFailure ? ', an on-failure handler' : ''
    io.stdout(`✓ ${configFileOption(values)}: app "${model.app}", stage "${model.stage}", ${model.stacks.length} stack(s), ${tasks} task(s)${onFailure}`)
    return EXIT.ok
  },
})
