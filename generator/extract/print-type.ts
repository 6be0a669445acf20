import { Node, ts, type Type } from 'ts-morph'
import type { ExtractContext } from './context.js'

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name)
}

function wrap(text: string, type: Type): string {
  return type.isUnion() || type.isIntersection() ? `(${text})` : text
}

/**
 * Writes a checker type as TypeScript source that the client package can compile: named types by
 * their emitted names, standard-library types as they are, anything anonymous structurally.
 */
export function printType(ctx: ExtractContext, type: Type, location: Node): string {
  const print = (t: Type): string => printType(ctx, t, location)
  const nameOf = (declaration: Node | undefined): string | undefined => {
    if (!declaration) return undefined
    const entry = ctx.entryOf(Node.isEnumMember(declaration) ? declaration.getParentOrThrow() : declaration)
    if (entry) return ctx.nameOf(entry)
    if (ctx.isLibNode(declaration) && (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration))) return declaration.getName()
    return undefined
  }
  const withArguments = (name: string, args: Type[]) => (args.length > 0 ? `${name}<${args.map(print).join(', ')}>` : name)

  const alias = type.getAliasSymbol()
  const aliasName = nameOf(alias?.getDeclarations()[0])
  if (aliasName) return withArguments(aliasName, type.getAliasTypeArguments())

  if (type.isAny() || type.isUnknown()) return 'unknown'
  if (type.isString()) return 'string'
  if (type.isNumber()) return 'number'
  if (type.isBoolean()) return 'boolean'
  if (type.isNull()) return 'null'
  if (type.isUndefined() || type.isVoid()) return 'undefined'
  if (type.isNever()) return 'never'
  if (type.isEnumLiteral()) {
    const member = type.getSymbol()?.getDeclarations()[0]
    const enumName = nameOf(member)
    if (enumName && member && Node.isEnumMember(member)) return `${enumName}.${member.getName()}`
  }
  if (type.isEnum()) {
    const enumName = nameOf(type.getSymbol()?.getDeclarations()[0])
    if (enumName) return enumName
  }
  if (type.isStringLiteral()) return JSON.stringify(type.getLiteralValue())
  if (type.isNumberLiteral()) return String(type.getLiteralValue())
  if (type.isBooleanLiteral()) return type.getText()
  if (type.isTypeParameter()) return type.getText()
  if (type.isUnion()) return printUnion(type.getUnionTypes(), print)
  if (type.isIntersection()) return type.getIntersectionTypes().map((m) => wrap(print(m), m)).join(' & ')
  if (type.isArray() || type.isReadonlyArray()) {
    const element = type.getArrayElementType() ?? type.getTypeArguments()[0]
    const text = element ? `${wrap(print(element), element)}[]` : 'unknown[]'
    return type.isReadonlyArray() ? `readonly ${text}` : text
  }
  if (type.isTuple()) {
    const flags = tupleElementFlags(type)
    const elements = type.getTupleElements().map((element, i) => {
      const flag = flags[i] ?? ts.ElementFlags.Required
      if (flag & ts.ElementFlags.Rest) return `...${wrap(print(element), element)}[]`
      return flag & ts.ElementFlags.Optional ? `${element.isUnion() ? printUnion(withoutUndefined(element.getUnionTypes()), print) : print(element)}?` : print(element)
    })
    return `[${elements.join(', ')}]`
  }
  if (type.isObject()) {
    const declaration = type.getSymbol()?.getDeclarations()[0]
    const name = declaration && (Node.isInterfaceDeclaration(declaration) || Node.isClassDeclaration(declaration)) ? nameOf(declaration) : undefined
    if (name) return withArguments(name, type.getTypeArguments())
    const members = type.getProperties().map((property) => {
      const optional = property.isOptional()
      const propertyType = property.getTypeAtLocation(location)
      // An optional property's type includes undefined; its `?` already says so.
      const written = optional && propertyType.isUnion() ? printUnion(withoutUndefined(propertyType.getUnionTypes()), print) : print(propertyType)
      return `${propertyKey(property.getName())}${optional ? '?' : ''}: ${written}`
    })
    const index = type.getStringIndexType()
    if (index) members.push(`[key: string]: ${print(index)}`)
    const numberIndex = type.getNumberIndexType()
    if (numberIndex && !index) members.push(`[key: number]: ${print(numberIndex)}`)
    return members.length === 0 ? '{}' : `{ ${members.join('; ')} }`
  }
  return type.getText(location, ts.TypeFormatFlags.NoTruncation)
}

export function withoutUndefined(members: Type[]): Type[] {
  return members.filter((m) => !m.isUndefined())
}

/** The checker splits boolean into true | false; write it back as boolean. */
function printUnion(members: Type[], print: (t: Type) => string): string {
  const hasTrue = members.some((m) => m.isBooleanLiteral() && m.getText() === 'true')
  const hasFalse = members.some((m) => m.isBooleanLiteral() && m.getText() === 'false')
  const parts = members.filter((m) => !(hasTrue && hasFalse && m.isBooleanLiteral())).map(print)
  if (hasTrue && hasFalse) parts.push('boolean')
  return parts.join(' | ')
}

/** Which elements of a tuple type are optional or rest. */
export function tupleElementFlags(type: Type): readonly ts.ElementFlags[] {
  const target = (type.compilerType as unknown as ts.TypeReference).target as ts.TupleType
  return target.elementFlags
}
