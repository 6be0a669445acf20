import { relative } from 'node:path'
import { keptNote } from '../../fs/output-folder.js'
import { loadAndExtract } from '../../generate.js'
import { commonOptions, defineCommand } from '../commands.js'
import { printProjectNotes } from '../project-notes.js'
import { EXIT } from '../io.js'
import { configFileOption, stageOption } from '../options.js'

export const outputOption = { type: 'string', value: '<dir>', description: 'output folder (default: $CDKTF_OUTDIR, else cdktf.out)' } as const

export const synthCommand = defineCommand({
  name: 'synth',
  summary: 'write Terraform JSON per stack to <output>/stacks/<stack>/cdk.tf.json',
  options: { ...commonOptions, output: outputOption },
  async run({ values, io }) {
    const { model, extraction } = await loadAndExtract({ configFile: configFileOption(values), stage: stageOption(values) })
    printProjectNotes(io, extraction, model)
    const { resolveSynthOutput, synthesize } = await import('../../synth/synthesize.js') // cdktf loads only for the commands that synthesize
    const result = await synthesize(model, extraction, resolveSynthOutput(typeof values.output === 'string' ? values.output : undefined))
    const where = relative(process.cwd(), result.outDir) || '.'
    io.stdout(`✓ synthesized ${result.stacks.length} stack(s) for stage "${model.stage}" to ${where}/stacks: ${result.stacks.map((s) => s.name).join(', ')}`)
    const note = keptNote(result.outDir, result)
    if (note) io.stderr(note)
    return EXIT.ok
  },
})
