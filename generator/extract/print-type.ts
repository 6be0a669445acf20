import type { Type } from 'ts-morph'
import { Node, ts } from './morph.js'
import { isIdentifier, jsQuoted, propertyKey } from '../text/escape.js'
import { typeDeclarationOf, type ExtractContext } from './context.js'
import { enumMemberName } from './enum-members.js'
import { isSymbolKeyed } from './type-members.js'
import { intersectionOrigin, unionMembers } from './type-members.js'

/** How deep types may nest inside one another before printing (or building a schema) gives up: only a generic type that expands without end comes near. */
export const MAX_TYPE_DEPTH = 100

function wrap(text: string, type: Type): string {
  return type.isUnion() || type.isIntersection() ? `(${text})` : text
}

/**
 * A type that TypeScript source can only write with a name it does not have: reached again while
 * being printed (a type parameter constrained by itself, a recursion through a class), or nested
 * without end. Extraction reports it as a problem at the payload.
 */
export class UnprintableTypeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnprintableTypeError'
  }
}

/**
 * Writes a checker type as TypeScript source that the client package can compile: named types by
 * their emitted names, standard-library types as they are, type parameters as their constraints,
 * anything anonymous structurally.
 */
export function printType(ctx: ExtractContext, type: Type, location: Node): string {
  return new TypePrinter(ctx, location).print(type)
}

class TypePrinter {
  /** The anonymous types being printed, outermost first: reaching one again would never end. */
  private readonly printing = new Set<ts.Type>()

  constructor(
    private readonly ctx: ExtractContext,
    private readonly location: Node,
  ) {}

  print(type: Type): string {
    const named = this.named(type) ?? this.simple(type)
    if (named !== undefined) return named
    const key = type.compilerType
    if (this.printing.has(key)) {
      const reason = type.isTypeParameter() ? 'is constrained by itself' : 'refers to itself without a name the client can use'
      throw new UnprintableTypeError(`uses ${type.getText(this.location)}, which ${reason}`)
    }
    if (this.printing.size >= MAX_TYPE_DEPTH)
      throw new UnprintableTypeError(`nests more than ${MAX_TYPE_DEPTH} types deep (a generic type that expands without end?)`)
    this.printing.add(key)
    try {
      return this.structure(type)
    } finally {
      this.printing.delete(key)
    }
  }

  private nameOf(declaration: Node | undefined): string | undefined {
    if (!declaration) return undefined
    const entry = this.ctx.entryOf(Node.isEnumMember(declaration) ? declaration.getParentOrThrow() : declaration)
    if (entry) return this.ctx.referenceName(entry)
    if (this.ctx.isLibNode(declaration) && (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration))) return declaration.getName()
    return undefined
  }

  private withArguments(name: string, args: Type[]): string {
    return args.length > 0 ? `${name}<${args.map((a) => this.print(a)).join(', ')}>` : name
  }

  /** Types written by a name: aliases, enums and their members, interfaces. */
  private named(type: Type): string | undefined {
    const alias = type.getAliasSymbol()
    const aliasName = this.nameOf(typeDeclarationOf(alias))
    if (aliasName) return this.withArguments(aliasName, type.getAliasTypeArguments())
    if (type.isEnumLiteral()) {
      const member = typeDeclarationOf(type.getSymbol())
      const enumName = this.nameOf(member)
      if (enumName && member && Node.isEnumMember(member)) {
        const name = enumMemberName(member)
        // A member whose name is no identifier (`'a-b'`) has no `E.name` form.
        return isIdentifier(name) ? `${enumName}.${name}` : `(typeof ${enumName})[${jsQuoted(name)}]`
      }
    }
    if (type.isEnum()) return this.nameOf(typeDeclarationOf(type.getSymbol()))
    if (type.isObject() && !type.isArray() && !type.isReadonlyArray() && !type.isTuple()) {
      const declaration = typeDeclarationOf(type.getSymbol())
      const name = declaration && (Node.isInterfaceDeclaration(declaration) || Node.isClassDeclaration(declaration)) ? this.nameOf(declaration) : undefined
      if (name) return this.withArguments(name, type.getTypeArguments())
    }
    return undefined
  }

  private simple(type: Type): string | undefined {
    if (type.isAny() || type.isUnknown()) return 'unknown'
    if (type.isString()) return 'string'
    if (type.isNumber()) return 'number'
    if (type.isBoolean()) return 'boolean'
    if (type.isNull()) return 'null'
    if (type.isUndefined() || type.isVoid()) return 'undefined'
    if (type.isNever()) return 'never'
    if (type.isStringLiteral()) return jsQuoted(type.getLiteralValue() as string)
    if (type.isNumberLiteral()) return String(type.getLiteralValue())
    if (type.isBooleanLiteral()) return type.getText()
    return undefined
  }

  private structure(type: Type): string {
    // The client declares no type parameters: the handler's stand for their constraints.
    if (type.isTypeParameter()) {
      const constraint = type.getConstraint()
      return constraint ? this.print(constraint) : 'unknown'
    }
    if (type.isUnion()) {
      const distributed = intersectionOrigin(type)
      if (distributed) return this.intersection(distributed)
      return this.union(unionMembers(type))
    }
    if (type.isIntersection()) return this.intersection(type.getIntersectionTypes())
    if (type.isArray() || type.isReadonlyArray()) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0]
      const text = element ? `${wrap(this.print(element), element)}[]` : 'unknown[]'
      return type.isReadonlyArray() ? `readonly ${text}` : text
    }
    if (type.isTuple()) return this.tuple(type)
    if (type.isObject()) return this.object(type)
    return type.getText(this.location, ts.TypeFormatFlags.NoTruncation)
  }

  /** The checker splits boolean into true | false: write it back as boolean; and null and undefined last, as people (and TypeScript) write them. */
  private union(members: Type[]): string {
    const hasTrue = members.some((m) => m.isBooleanLiteral() && m.getText() === 'true')
    const hasFalse = members.some((m) => m.isBooleanLiteral() && m.getText() === 'false')
    const rest = members.filter((m) => !(hasTrue && hasFalse && m.isBooleanLiteral()) && !m.isNull() && !m.isUndefined())
    const parts = rest.map((m) => this.print(m))
    if (hasTrue && hasFalse) parts.push('boolean')
    if (members.some((m) => m.isNull())) parts.push('null')
    if (members.some((m) => m.isUndefined())) parts.push('undefined')
    return parts.join(' | ')
  }

  private intersection(members: Type[]): string {
    return members.map((m) => wrap(this.print(m), m)).join(' & ')
  }

  /** An optional element's or property's type, whose `?` already says undefined. */
  private optional(type: Type): string {
    return type.isUnion() ? this.union(withoutUndefined(unionMembers(type))) : this.print(type)
  }

  private tuple(type: Type): string {
    const flags = tupleElementFlags(type)
    const elements = type.getTupleElements().map((element, i) => {
      const flag = flags[i] ?? ts.ElementFlags.Required
      if (flag & ts.ElementFlags.Rest) return `...${wrap(this.print(element), element)}[]`
      return flag & ts.ElementFlags.Optional ? `${this.optional(element)}?` : this.print(element)
    })
    return `[${elements.join(', ')}]`
  }

  private object(type: Type): string {
    // A symbol key has no name the client could write; the schema builder refuses one that can hold a value.
    const members = type
      .getProperties()
      .filter((property) => !isSymbolKeyed(property))
      .map((property) => {
        const optional = property.isOptional()
        const propertyType = property.getTypeAtLocation(this.location)
        return `${propertyKey(property.getName())}${optional ? '?' : ''}: ${optional ? this.optional(propertyType) : this.print(propertyType)}`
      })
    const index = type.getStringIndexType()
    if (index) members.push(`[key: string]: ${this.print(index)}`)
    const numberIndex = type.getNumberIndexType()
    if (numberIndex && !index) members.push(`[key: number]: ${this.print(numberIndex)}`)
    return members.length === 0 ? '{}' : `{ ${members.join('; ')} }`
  }
}

export function withoutUndefined(members: Type[]): Type[] {
  return members.filter((m) => !m.isUndefined())
}

/** Which elements of a tuple type are optional or rest. */
export function tupleElementFlags(type: Type): readonly ts.ElementFlags[] {
  const target = (type.compilerType as unknown as ts.TypeReference).target as ts.TupleType
  return target.elementFlags
}
