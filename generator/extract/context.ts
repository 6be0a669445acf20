import { relative } from 'node:path'
import type { SourceFile, Symbol as MorphSymbol, Type } from 'ts-morph'
import { Node, type Project } from './morph.js'

export type DeclarationNode = Node & { getName(): string }

/** A named type the client package must declare, found by following a payload's references. */
export interface DeclarationEntry {
  node: DeclarationNode
  kind: 'interface' | 'alias' | 'enum'
  originalName: string
  /** Path relative to the project root, for rename notes. */
  file: string
  /** Config paths of every task whose payload reaches it, first first: problems in the declaration itself are each task's. */
  usedBy: string[]
  /** The entries its declaration reaches in turn: a task that reaches this one reaches them too. */
  reaches: DeclarationEntry[]
  /** Set when names are allocated (after every payload has been collected). */
  name?: string
  /** Set when it is named by its namespace or module (`Charge_Status`), as a package's types that share a name are: where it is, `Stripe.Charge.Status (stripe/types/Charges.d.ts)`. */
  qualified?: string
  /** An earlier declaration of the same structure: this one is emitted as an alias of it, and references to it name that one. */
  sameAs?: DeclarationEntry
  /** A type alias that refers to values (`typeof x`): printed from its resolved type instead of copied. */
  resolved?: boolean
  /** Text edits that point this declaration's references at the emitted names. */
  references: Reference[]
}

/**
 * A place in copied source text that names another declaration (`target`), or that the client
 * writes as the type the checker resolved there (`resolved`: a library's generic type whose own
 * declarations cannot be copied).
 */
export type Reference = { start: number; end: number } & ({ target: DeclarationEntry } | { resolved: { type: Type; location: Node } })

/** State shared by the stages of one extraction. */
export class ExtractContext {
  readonly entries = new Map<Node, DeclarationEntry>()
  /** Names of standard-library types the output uses; no emitted declaration may shadow them. */
  readonly libNames = new Set<string>()

  constructor(
    readonly project: Project,
    readonly rootDir: string,
  ) {}

  isLibFile(file: SourceFile): boolean {
    return this.project.getProgram().compilerObject.isSourceFileDefaultLibrary(file.compilerNode)
  }

  isLibNode(node: Node): boolean {
    return this.isLibFile(node.getSourceFile())
  }

  relativePath(file: SourceFile): string {
    return relative(this.rootDir, file.getFilePath()) || file.getBaseName()
  }

  entryOf(node: Node): DeclarationEntry | undefined {
    return this.entries.get(node)
  }

  /** The emitted name of a declaration; only valid after allocation. */
  nameOf(entry: DeclarationEntry): string {
    if (entry.name === undefined) throw new Error(`task-gen bug: ${entry.originalName} has no allocated name`)
    return entry.name
  }

  /** Set while declarations of one structure are found: references are then written as the first one's names, so that what refers to alike declarations is alike too. */
  comparingStructures = false

  /** The name a reference to the declaration writes: its own, or while structures are compared, the first declaration's of its structure. */
  referenceName(entry: DeclarationEntry): string {
    return this.nameOf(this.comparingStructures ? firstOfStructure(entry) : entry)
  }
}

/** The first declaration of an entry's structure: the one the others are aliases of. */
export function firstOfStructure(entry: DeclarationEntry): DeclarationEntry {
  let first = entry
  while (first.sameAs) first = first.sameAs
  return first
}

/** The user-visible declaration behind a type, if it has one: its alias, else its interface or enum. */
export function namedDeclarationOf(type: Type): Node | undefined {
  const alias = type.getAliasSymbol()
  if (alias) return typeDeclarationOf(alias)
  const declaration = typeDeclarationOf(type.getSymbol())
  if (!declaration) return undefined
  if (Node.isInterfaceDeclaration(declaration) || Node.isEnumDeclaration(declaration) || Node.isClassDeclaration(declaration)) return declaration
  if (Node.isEnumMember(declaration)) return declaration.getParent()
  return undefined
}

function declaresType(node: Node): boolean {
  return (
    Node.isInterfaceDeclaration(node) ||
    Node.isTypeAliasDeclaration(node) ||
    Node.isEnumDeclaration(node) ||
    Node.isEnumMember(node) ||
    Node.isClassDeclaration(node) ||
    Node.isTypeParameterDeclaration(node)
  )
}

/**
 * The declaration of a symbol's type meaning. A name may be a value and a type at once (the
 * schema-library idiom: `const Job = z.object(…); type Job = z.infer<typeof Job>`), and its
 * first declaration is then the value's, which no type reference means.
 */
export function typeDeclarationOf(symbol: MorphSymbol | undefined): Node | undefined {
  const declarations = symbol?.getDeclarations() ?? []
  return declarations.find(declaresType) ?? declarations[0]
}
