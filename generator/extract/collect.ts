import type { Symbol as MorphSymbol, Type } from 'ts-morph'
import { Node, SyntaxKind } from './morph.js'
import { typeDeclarationOf, type DeclarationEntry, type ExtractContext, type Reference } from './context.js'
import { intersectionOrigin, unionMembers } from './type-members.js'

function resolveAlias(symbol: MorphSymbol | undefined): MorphSymbol | undefined {
  return symbol?.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol
}

/** A declaration of an installed package (not the app's own, nor the standard library's). */
function isPackageNode(node: Node): boolean {
  return node.getSourceFile().getFilePath().includes('/node_modules/') && !node.getSourceFile().getFilePath().includes('/node_modules/typescript/lib/')
}

/** A reference the client cannot inline, with the node to point the message at. */
export interface Unsupported {
  node: Node
  message: string
}

/** Where a name is written: from the start of `from` to the end of `to` (default: `from` itself). */
interface WrittenName {
  from: Node
  to?: Node
}

/**
 * Follows the references of payload types to every named declaration the client must carry:
 * by syntax inside copied declarations (so that their text can be re-pointed at emitted names),
 * and by the checker where a payload has no written type.
 */
export class Collector {
  readonly unsupported: Unsupported[] = []
  private readonly seenTypes = new Set<Type>()
  /** What each entry's declaration (and what it reaches) could not inline. */
  private readonly entryUnsupported = new Map<DeclarationEntry, Unsupported[]>()
  /** The entries the current task has reached (and so been told about) already. */
  private readonly reachedEntries = new Set<DeclarationEntry>()
  /** Library declarations whose copies would need something the client cannot write. */
  private readonly uncopyable = new Set<Node>()
  /** Config path of the task whose payload is being collected. */
  private taskPath = ''

  constructor(private readonly ctx: ExtractContext) {}

  /** Attributes the declarations registered from now on to the task at `path`. */
  startTask(path: string): void {
    this.taskPath = path
    this.seenTypes.clear()
    this.reachedEntries.clear()
  }

  /** The entries being registered, innermost last: each reaches what is registered (or reached) inside it. */
  private readonly registering: DeclarationEntry[] = []

  /** An entry another task registered: it, and what it reaches, are this task's too (its problems, at this task's path). */
  private reachAgain(entry: DeclarationEntry): void {
    if (this.reachedEntries.has(entry)) return
    this.reachedEntries.add(entry)
    if (!entry.usedBy.includes(this.taskPath)) entry.usedBy.push(this.taskPath)
    this.unsupported.push(...(this.entryUnsupported.get(entry) ?? []))
    for (const reached of entry.reaches) this.reachAgain(reached)
  }

  /** Registers a declaration and what it refers to; undefined for types that stay as they are. */
  register(declaration: Node): DeclarationEntry | undefined {
    const existing = this.ctx.entryOf(declaration)
    if (existing) {
      this.registering.at(-1)?.reaches.push(existing)
      this.reachAgain(existing)
      return existing
    }
    if (Node.isEnumMember(declaration)) return this.register(declaration.getParentOrThrow())
    if (this.ctx.isLibNode(declaration)) {
      if (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration)) this.ctx.libNames.add(declaration.getName())
      return undefined
    }
    const kind = Node.isInterfaceDeclaration(declaration)
      ? 'interface'
      : Node.isTypeAliasDeclaration(declaration)
        ? 'alias'
        : Node.isEnumDeclaration(declaration)
          ? 'enum'
          : undefined
    if (kind === undefined) {
      if (Node.isClassDeclaration(declaration)) {
        this.unsupported.push({
          node: declaration,
          message: `refers to class ${declaration.getName() ?? '(anonymous)'}; a payload type must be an interface or type alias (class instances do not survive JSON)`,
        })
      }
      return undefined
    }
    const named = declaration as DeclarationEntry['node']
    const entry: DeclarationEntry = {
      node: named,
      kind,
      originalName: named.getName(),
      file: this.ctx.relativePath(declaration.getSourceFile()),
      usedBy: [this.taskPath],
      reaches: [],
      references: [],
    }
    this.registering.at(-1)?.reaches.push(entry)
    this.ctx.entries.set(declaration, entry)
    this.reachedEntries.add(entry)
    const unsupportedFrom = this.unsupported.length
    this.registering.push(entry)
    try {
      this.collectBody(declaration, entry)
    } finally {
      this.registering.pop()
    }
    this.entryUnsupported.set(entry, this.unsupported.slice(unsupportedFrom))
    return entry
  }

  private collectBody(declaration: Node, entry: DeclarationEntry): void {
    const kind = entry.kind
    if (kind === 'alias' && declaration.getFirstDescendant((d) => Node.isTypeQuery(d)) && Node.isTypeAliasDeclaration(declaration)) {
      if (declaration.getTypeParameters().length > 0) {
        this.unsupported.push({ node: declaration, message: `the generic type ${entry.originalName} uses typeof, which the client cannot inline` })
      }
      entry.resolved = true
      this.collectType(declaration.getType(), declaration)
    } else if (kind !== 'enum') {
      this.collectNode(declaration, entry.references)
    }
  }

  private target(symbol: MorphSymbol | undefined): Node | undefined {
    return typeDeclarationOf(resolveAlias(symbol))
  }

  /** Records that the source text at `written` names `declaration`, so that the text can be re-pointed at its emitted name. */
  private refer(references: Reference[], written: WrittenName, declaration: Node | undefined): void {
    if (!declaration || Node.isTypeParameterDeclaration(declaration)) return
    const target = this.register(declaration)
    if (target) references.push({ start: written.from.getStart(), end: (written.to ?? written.from).getEnd(), target })
  }

  /**
   * Registers a library's generic type and what it refers to, or undoes all of it when something
   * there cannot be copied (type-fest's internals use `typeof globalThis`): false then, and the
   * reference is written as the type it resolves to instead.
   */
  private registerCopyable(declaration: Node): boolean {
    if (this.uncopyable.has(declaration)) return false
    const entriesBefore = new Set(this.ctx.entries.keys())
    const unsupportedBefore = this.unsupported.length
    this.register(declaration)
    if (this.unsupported.length === unsupportedBefore) return true
    this.unsupported.length = unsupportedBefore
    const undone = new Set<DeclarationEntry>()
    for (const [key, entry] of [...this.ctx.entries]) {
      if (entriesBefore.has(key)) continue
      this.ctx.entries.delete(key)
      undone.add(entry)
    }
    // The reference is written as its resolved type: what the undone copy reached, nothing reaches.
    const parent = this.registering.at(-1)
    if (parent) parent.reaches = parent.reaches.filter((entry) => !undone.has(entry))
    this.uncopyable.add(declaration)
    return false
  }

  /** A reference to a library's generic type, with type arguments that name no type parameter: its instantiation can stand for it. */
  private isResolvableInstantiation(reference: Node, declaration: Node | undefined): boolean {
    if (!declaration || this.ctx.entryOf(declaration) || !isPackageNode(declaration)) return false
    if (!Node.isTypeAliasDeclaration(declaration) && !Node.isInterfaceDeclaration(declaration)) return false
    if (declaration.getTypeParameters().length === 0) return false
    return !reference
      .getDescendantsOfKind(SyntaxKind.TypeReference)
      .some((r) => Node.isTypeParameterDeclaration(typeDeclarationOf(r.getTypeName().getSymbol()) ?? r))
  }

  /** Records every reference to a named type inside `node` (a declaration or a written type). */
  collectNode(node: Node, references: Reference[]): void {
    const visit = (d: Node): boolean | undefined => {
      if (Node.isTypeReference(d)) {
        const name = d.getTypeName()
        const declaration = this.target(name.getSymbol())
        if (this.isResolvableInstantiation(d, declaration) && !this.registerCopyable(declaration!)) {
          const type = d.getType()
          this.collectType(type, d)
          references.push({ start: d.getStart(), end: d.getEnd(), resolved: { type, location: d } })
          return true
        }
        if (declaration && Node.isEnumMember(declaration) && Node.isQualifiedName(name)) {
          // `Priority.High`: re-point the enum's name, keep the member.
          this.refer(references, { from: name.getLeft() }, declaration)
        } else {
          this.refer(references, { from: name }, declaration)
        }
      } else if (Node.isExpressionWithTypeArguments(d)) {
        const expression = d.getExpression()
        this.refer(references, { from: expression }, this.target(expression.getSymbol()))
      } else if (Node.isImportTypeNode(d)) {
        const qualifier = d.getQualifier()
        if (d.compilerNode.isTypeOf || !qualifier) {
          this.unsupported.push({ node: d, message: `uses ${d.getText()}, which refers to a module's values; the client cannot inline it` })
          return
        }
        // `import('./x').Order<T>`: from `import` to the qualifier, leaving the type arguments out.
        this.refer(references, { from: d, to: qualifier }, this.target(qualifier.getSymbol()))
      } else if (Node.isComputedPropertyName(d) && !Node.isStringLiteral(d.getExpression()) && !Node.isNumericLiteral(d.getExpression())) {
        this.unsupported.push({ node: d, message: `uses the computed key ${d.getText()}, which refers to a value; the client cannot inline it` })
      } else if (Node.isTypeQuery(d)) {
        this.unsupported.push({ node: d, message: `uses ${d.getText()}, which refers to a value; declare the type instead` })
      }
    }
    if (visit(node) === true) return
    // A reference written as its resolved type takes its type arguments with it.
    node.forEachDescendant((d, traversal) => {
      if (visit(d) === true) traversal.skip()
    })
  }

  /** Registers the declarations a checker type refers to, for payloads that have no written type. */
  collectType(type: Type, location: Node): void {
    if (this.seenTypes.has(type)) return
    this.seenTypes.add(type)
    const alias = type.getAliasSymbol()
    const aliasDeclaration = typeDeclarationOf(alias)
    // A library's alias that cannot be copied is written as what it resolves to: walk that instead.
    if (alias && !(aliasDeclaration && isPackageNode(aliasDeclaration) && !this.registerCopyable(aliasDeclaration))) {
      if (aliasDeclaration) this.register(aliasDeclaration)
      for (const argument of type.getAliasTypeArguments()) this.collectType(argument, location)
      return
    }
    if (type.isEnum() || type.isEnumLiteral()) {
      const declaration = typeDeclarationOf(type.getSymbol())
      if (declaration) this.register(declaration)
      return
    }
    if (type.isTypeParameter()) {
      // The client writes a type parameter as its constraint.
      const constraint = type.getConstraint()
      if (constraint) this.collectType(constraint, location)
      return
    }
    // A union's members as written and as the checker flattened them: the printer writes the first, the schema builds the second.
    const members = type.isUnion()
      ? [...unionMembers(type), ...(intersectionOrigin(type) ?? []), ...type.getUnionTypes()]
      : type.isIntersection()
        ? type.getIntersectionTypes()
        : undefined
    if (members) {
      for (const member of members) this.collectType(member, location)
      return
    }
    if (type.isArray() || type.isReadonlyArray()) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0]
      if (element) this.collectType(element, location)
      return
    }
    if (type.isTuple()) {
      for (const element of type.getTupleElements()) this.collectType(element, location)
      return
    }
    if (!type.isObject()) return
    const declaration = typeDeclarationOf(type.getSymbol())
    if (declaration && (Node.isInterfaceDeclaration(declaration) || Node.isClassDeclaration(declaration))) {
      this.register(declaration)
      for (const argument of type.getTypeArguments()) this.collectType(argument, location)
      return
    }
    for (const property of type.getProperties()) this.collectType(property.getTypeAtLocation(location), location)
    const index = type.getStringIndexType() ?? type.getNumberIndexType()
    if (index) this.collectType(index, location)
  }
}
