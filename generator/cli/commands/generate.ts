import { relative } from 'node:path'
import { buildClient, staleClientFiles, writeClient } from '../../generate.js'
import { keptNote } from '../../fs/output-folder.js'
import { commonOptions, defineCommand } from '../commands.js'
import { printProjectNotes } from '../project-notes.js'
import { manifestSizeNote } from '../../emit/manifest-size.js'
import { EXIT } from '../io.js'
import { configFileOption, stageOption } from '../options.js'

export const generateCommand = defineCommand({
  name: 'generate',
  summary: 'write the typed client package (also: bare `task-gen`)',
  options: {
    ...commonOptions,
    out: { type: 'string', value: '<dir>', description: 'output folder (default: client.outDir, else .task-gen/client)' },
    check: { type: 'boolean', description: 'write nothing; exit 1 when the package on disk is stale (for CI)' },
  },
  async run({ values, io }) {
    const client = await buildClient({
      configFile: configFileOption(values),
      stage: stageOption(values),
      out: typeof values.out === 'string' ? values.out : undefined,
    })
    const where = relative(process.cwd(), client.outDir) || '.'
    printProjectNotes(io, client.extraction, client.model)
    if (values.check) {
      const stale = staleClientFiles(client)
      if (stale.length === 0) {
        io.stdout(`✓ ${client.model.client.name} in ${where} is up to date`)
        return EXIT.ok
      }
      io.stderr(`${client.model.client.name} in ${where} is stale; run \`task-gen generate\`. Differs: ${stale.join(', ')}`)
      return EXIT.problem
    }
    const note = keptNote(client.outDir, await writeClient(client))
    const tasks = client.extraction.tasks.length
    const manifest = manifestSizeNote(Buffer.byteLength(client.files.get('manifest.js') ?? ''), client.extraction)
    io.stdout(`✓ wrote ${client.model.client.name} to ${where}: ${tasks} task(s), ${client.extraction.declarations.length} type(s), ${manifest}`)
    if (note) io.stderr(note)
    return EXIT.ok
  },
})
