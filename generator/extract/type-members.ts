import type { Symbol as MorphSymbol, Type } from 'ts-morph'
import { ts } from './morph.js'

/** ts-morph wraps compiler types through its context; it has no public call for a type it has not handed out yet. */
interface TypeWithContext {
  _context: { compilerFactory: { getType(type: ts.Type): Type } }
}

function wrap(like: Type, compilerType: ts.Type): Type {
  return (like as unknown as TypeWithContext)._context.compilerFactory.getType(compilerType)
}

/** The union or intersection TypeScript normalized a union from, when it kept it (`origin`, not in its public typings). */
function origin(type: Type): ts.UnionOrIntersectionType | undefined {
  return (type.compilerType as { origin?: ts.UnionOrIntersectionType }).origin
}

/**
 * A union's members as written: TypeScript flattens `T | null` into T's members plus null, which
 * loses the name T (and with it the only way to write a recursive T); its origin keeps them.
 */
export function unionMembers(type: Type): Type[] {
  const from = origin(type)
  if (from && from.flags & ts.TypeFlags.Union) return from.types.map((member) => wrap(type, member))
  return type.getUnionTypes()
}

/** The intersection a union was distributed from (`(A | B) & C` is `(A & C) | (B & C)`), if it was. */
export function intersectionOrigin(type: Type): Type[] | undefined {
  const from = origin(type)
  return from && from.flags & ts.TypeFlags.Intersection ? from.types.map((member) => wrap(type, member)) : undefined
}

/** A property keyed by a unique symbol: TypeScript names it `__@name@id` (a name of text that starts so is escaped to `___@`). */
export function isSymbolKeyed(property: MorphSymbol): boolean {
  return (property.compilerSymbol.escapedName as string).startsWith('__@')
}
