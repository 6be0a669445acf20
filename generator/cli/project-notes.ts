import { formatProblem } from '../errors/format-problems.js'
import type { Extraction } from '../extract/extract.js'
import type { Model } from '../model/model.js'
import type { CliIo } from './io.js'

/**
 * What loading and extraction noticed without failing: a deprecated runtime, parameters without a
 * type, types renamed to `_2`. On stderr, as notes are.
 */
export function printProjectNotes(io: CliIo, extraction: Pick<Extraction, 'warnings' | 'renamed'>, model?: Pick<Model, 'warnings'>): void {
  for (const warning of [...(model?.warnings ?? []), ...extraction.warnings]) io.stderr(`warning: ${formatProblem(warning)}`)
  for (const { originalName, name, file } of extraction.renamed) {
    io.stderr(`note: the type ${originalName} of ${file} is ${name} in the client: the name ${originalName} is taken there`)
  }
}
