import { formatProblem } from '../errors/format-problems.js'
import type { Extraction, RenamedType } from '../extract/extract.js'
import type { Model } from '../model/model.js'
import type { CliIo } from './io.js'

/**
 * What loading and extraction noticed without failing: a deprecated runtime, parameters without a
 * type, types renamed to `_2` (or named by their namespace). On stderr, as notes are.
 */
export function printProjectNotes(io: CliIo, extraction: Pick<Extraction, 'warnings' | 'renamed'>, model?: Pick<Model, 'warnings'>): void {
  for (const warning of [...(model?.warnings ?? []), ...extraction.warnings]) io.stderr(`warning: ${formatProblem(warning)}`)
  const byPackage = new Map<string, RenamedType[]>()
  for (const renamed of extraction.renamed) {
    if (renamed.qualified) byPackage.set(renamed.qualified.package, [...(byPackage.get(renamed.qualified.package) ?? []), renamed])
    else
      io.stderr(`note: the type ${renamed.originalName} of ${renamed.file} is ${renamed.name} in the client: the name ${renamed.originalName} is taken there`)
  }
  // A package's types that share names (Stripe has a hundred `Type`s) are one note, not one each.
  for (const [pkg, [first, ...rest]] of byPackage) {
    const more = rest.length === 0 ? '' : ` and ${rest.length} more`
    io.stderr(
      `note: types of ${pkg} that share a name are named by their namespace or module in the client: ${first!.qualified!.place} is ${first!.name}${more}`,
    )
  }
}
