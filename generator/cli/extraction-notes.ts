import { formatProblem } from '../errors/format-problems.js'
import type { Extraction } from '../extract/extract.js'
import type { CliIo } from './io.js'

/** What extraction noticed without failing: parameters without a type, and types renamed to `_2`. On stderr, as notes are. */
export function printExtractionNotes(io: CliIo, extraction: Pick<Extraction, 'warnings' | 'renamed'>): void {
  for (const warning of extraction.warnings) io.stderr(`warning: ${formatProblem(warning)}`)
  for (const { originalName, name, file } of extraction.renamed) {
    io.stderr(`note: the type ${originalName} of ${file} is ${name} in the client: the name ${originalName} is taken there`)
  }
}
