import { Node, type Symbol as MorphSymbol, type Type } from 'ts-morph'
import { typeDeclarationOf, type DeclarationEntry, type ExtractContext, type Reference } from './context.js'
import { intersectionOrigin, unionMembers } from './type-members.js'

function resolveAlias(symbol: MorphSymbol | undefined): MorphSymbol | undefined {
  return symbol?.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol
}

/** A reference the client cannot inline, with the node to point the message at. */
export interface Unsupported {
  node: Node
  message: string
}

/**
 * Follows the references of payload types to every named declaration the client must carry:
 * by syntax inside copied declarations (so that their text can be re-pointed at emitted names),
 * and by the checker where a payload has no written type.
 */
export class Collector {
  readonly unsupported: Unsupported[] = []
  private readonly seenTypes = new Set<Type>()
  /** Config path of the task whose payload is being collected. */
  private taskPath = ''

  constructor(private readonly ctx: ExtractContext) {}

  /** Attributes the declarations registered from now on to the task at `path`. */
  startTask(path: string): void {
    this.taskPath = path
  }

  /** Registers a declaration and what it refers to; undefined for types that stay as they are. */
  register(declaration: Node): DeclarationEntry | undefined {
    const existing = this.ctx.entryOf(declaration)
    if (existing) return existing
    if (Node.isEnumMember(declaration)) return this.register(declaration.getParentOrThrow())
    if (this.ctx.isLibNode(declaration)) {
      if (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration)) this.ctx.libNames.add(declaration.getName())
      return undefined
    }
    const kind = Node.isInterfaceDeclaration(declaration) ? 'interface' : Node.isTypeAliasDeclaration(declaration) ? 'alias' : Node.isEnumDeclaration(declaration) ? 'enum' : undefined
    if (kind === undefined) {
      if (Node.isClassDeclaration(declaration)) {
        this.unsupported.push({ node: declaration, message: `refers to class ${declaration.getName() ?? '(anonymous)'}; a payload type must be an interface or type alias (class instances do not survive JSON)` })
      }
      return undefined
    }
    const named = declaration as DeclarationEntry['node']
    const entry: DeclarationEntry = { node: named, kind, originalName: named.getName(), file: this.ctx.relativePath(declaration.getSourceFile()), usedBy: this.taskPath, references: [] }
    this.ctx.entries.set(declaration, entry)
    if (kind === 'alias' && declaration.getFirstDescendant((d) => Node.isTypeQuery(d)) && Node.isTypeAliasDeclaration(declaration)) {
      if (declaration.getTypeParameters().length > 0) {
        this.unsupported.push({ node: declaration, message: `the generic type ${entry.originalName} uses typeof, which the client cannot inline` })
      }
      entry.resolved = true
      this.collectType(declaration.getType(), declaration)
    } else if (kind !== 'enum') {
      this.collectNode(declaration, entry.references)
    }
    return entry
  }

  private target(symbol: MorphSymbol | undefined): Node | undefined {
    return typeDeclarationOf(resolveAlias(symbol))
  }

  private refer(references: Reference[], node: Node, end: number, declaration: Node | undefined): void {
    if (!declaration || Node.isTypeParameterDeclaration(declaration)) return
    const target = this.register(declaration)
    if (target) references.push({ start: node.getStart(), end, target })
  }

  /** Records every reference to a named type inside `node` (a declaration or a written type). */
  collectNode(node: Node, references: Reference[]): void {
    const visit = (d: Node): void => {
      if (Node.isTypeReference(d)) {
        const name = d.getTypeName()
        const declaration = this.target(name.getSymbol())
        if (declaration && Node.isEnumMember(declaration) && Node.isQualifiedName(name)) {
          // `Priority.High`: re-point the enum's name, keep the member.
          const left = name.getLeft()
          this.refer(references, left, left.getEnd(), declaration)
        } else {
          this.refer(references, name, name.getEnd(), declaration)
        }
      } else if (Node.isExpressionWithTypeArguments(d)) {
        const expression = d.getExpression()
        this.refer(references, expression, expression.getEnd(), this.target(expression.getSymbol()))
      } else if (Node.isImportTypeNode(d)) {
        const qualifier = d.getQualifier()
        if (d.compilerNode.isTypeOf || !qualifier) {
          this.unsupported.push({ node: d, message: `uses ${d.getText()}, which refers to a module's values; the client cannot inline it` })
          return
        }
        this.refer(references, d, qualifier.getEnd(), this.target(qualifier.getSymbol()))
      } else if (Node.isTypeQuery(d)) {
        this.unsupported.push({ node: d, message: `uses ${d.getText()}, which refers to a value; declare the type instead` })
      }
    }
    visit(node)
    node.forEachDescendant(visit)
  }

  /** Registers the declarations a checker type refers to, for payloads that have no written type. */
  collectType(type: Type, location: Node): void {
    if (this.seenTypes.has(type)) return
    this.seenTypes.add(type)
    const alias = type.getAliasSymbol()
    if (alias) {
      const declaration = typeDeclarationOf(alias)
      if (declaration) this.register(declaration)
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
    const members = type.isUnion() ? [...unionMembers(type), ...(intersectionOrigin(type) ?? []), ...type.getUnionTypes()] : type.isIntersection() ? type.getIntersectionTypes() : undefined
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
