import { Node } from './morph.js'
import type { DeclarationEntry, ExtractContext } from './context.js'

const PACKAGE_PATH = /^.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/

/** The installed package a declaration comes from, and its file's path inside it; undefined for the app's own. */
export function packageOf(entry: DeclarationEntry): { name: string; file: string } | undefined {
  const match = PACKAGE_PATH.exec(entry.node.getSourceFile().getFilePath())
  return match ? { name: match[1]!, file: match[2]! } : undefined
}

/** A text as a part of an identifier: what a name may not hold becomes `_`. */
function identifierPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_$]/g, '_')
}

/** The namespaces a declaration is inside (`Stripe.Charge` for Stripe's `Charge.Status`), innermost first. */
function namespacesOf(node: Node): string[] {
  return node
    .getAncestors()
    .filter((a) => Node.isModuleDeclaration(a) && !Node.isStringLiteral(a.getNameNode()))
    .map((a) => (a as Node & { getName(): string }).getName())
    .flatMap((name) => name.split('.').reverse())
}

/** The module a package's declaration is in, as names, innermost first: `billing/address.d.ts` of `pkg` gives address, billing, pkg. */
function modulesOf(pkg: { name: string; file: string }): string[] {
  const steps = pkg.file
    .replace(/\.d\.[mc]?ts$|\.[mc]?tsx?$/, '')
    .split('/')
    .filter((step) => step !== 'index' && step !== '')
  return [...steps.reverse(), pkg.name].map(identifierPart)
}

/** A package's type that shares its name: the names it may have, from its innermost namespace outwards, then its module. */
function qualifiedCandidates(entry: DeclarationEntry, pkg: { name: string; file: string }): string[] {
  // A file named for its type (`address.d.ts` of `Address`) tells nothing apart.
  const qualifiers = [...namespacesOf(entry.node), ...modulesOf(pkg)].filter(
    (q, i, all) => all.indexOf(q) === i && q.toLowerCase() !== entry.originalName.toLowerCase(),
  )
  return qualifiers.map((_, i) => [...qualifiers.slice(0, i + 1).reverse(), entry.originalName].join('_'))
}

/** A package's declaration as its own code names it, and the file it is in: `Stripe.Charge.Status (stripe/types/Charges.d.ts)`. */
function placeOf(entry: DeclarationEntry): string {
  const pkg = packageOf(entry)!
  return `${[...namespacesOf(entry.node).reverse(), entry.originalName].join('.')} (${pkg.name}/${pkg.file})`
}

function numbered(name: string, taken: Set<string>): string {
  let candidate = name
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`
  return candidate
}

/**
 * Gives every declaration its emitted name. The app's own declarations (and a package's whose
 * name nothing else has) keep theirs, unless one found earlier (or a standard library type the
 * output uses, or a name of the client's API) has it: then `<Name>_2`, `_3`, … in the order found.
 * A package's declarations that share a name are named by their namespace, then their module
 * (`Charge_Status`, `Invoice_Status`), the fewest qualifiers that tell them apart: the name then
 * does not depend on which task found which first.
 */
export function allocateNames(ctx: ExtractContext, reserved: readonly string[]): void {
  const taken = new Set([...reserved, ...ctx.libNames])
  const entries = [...ctx.entries.values()]
  const count = new Map<string, number>()
  for (const entry of entries) count.set(entry.originalName, (count.get(entry.originalName) ?? 0) + 1)
  const qualify = new Map<DeclarationEntry, string[]>()
  for (const entry of entries) {
    const pkg = packageOf(entry)
    if (pkg && (count.get(entry.originalName)! > 1 || taken.has(entry.originalName))) qualify.set(entry, qualifiedCandidates(entry, pkg))
  }
  for (const entry of entries) {
    if (qualify.has(entry)) continue
    entry.name = numbered(entry.originalName, taken)
    taken.add(entry.name)
  }
  let pending = [...qualify.keys()]
  for (let level = 0; pending.length > 0; level++) {
    const candidate = (entry: DeclarationEntry) => qualify.get(entry)![Math.min(level, qualify.get(entry)!.length - 1)]!
    const uses = new Map<string, number>()
    for (const entry of pending) uses.set(candidate(entry), (uses.get(candidate(entry)) ?? 0) + 1)
    pending = pending.filter((entry) => {
      const name = candidate(entry)
      const exhausted = level >= qualify.get(entry)!.length - 1
      if (!exhausted && (uses.get(name)! > 1 || taken.has(name))) return true
      entry.name = numbered(name, taken)
      if (entry.name !== entry.originalName) entry.qualified = placeOf(entry)
      taken.add(entry.name)
      return false
    })
  }
}
