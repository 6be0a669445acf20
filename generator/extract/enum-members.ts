import type { EnumMember } from 'ts-morph'
import { Node } from './morph.js'
import { isIdentifier } from '../text/escape.js'
import type { Problem } from '../errors/problem.js'
import type { DeclarationEntry } from './context.js'
import { sourceProblem } from './problems.js'

/** A member's name as the program sees it: the member written `'a-b'` is named `a-b`. */
export function enumMemberName(member: EnumMember): string {
  return member.getSymbol()?.getName() ?? member.getName()
}

/** A member's value; only valid once enumProblems found none. */
export function enumMemberValue(member: EnumMember): string | number {
  const value = member.getValue()
  if (value === undefined) throw new Error(`task-gen bug: enum member ${enumMemberName(member)} has no constant value`)
  return value
}

function describeMember(entry: DeclarationEntry, member: EnumMember): string {
  const name = enumMemberName(member)
  const written = `${entry.originalName}${isIdentifier(name) ? `.${name}` : `[${JSON.stringify(name)}]`}`
  const initializer = member.getInitializer()?.getText()
  if (initializer === undefined) return written
  return `${written} = ${initializer.length > 40 ? `${initializer.slice(0, 37)}...` : initializer}`
}

function memberProblem(entry: DeclarationEntry, member: EnumMember): string | undefined {
  const value = member.getValue()
  if (value === undefined)
    return `the enum member ${describeMember(entry, member)} is computed at run time; the client needs its value: write it as a number or string`
  if (typeof value === 'number' && !Number.isFinite(value))
    return `the enum member ${describeMember(entry, member)} is ${value}, which JSON writes as null; use a finite number`
  return undefined
}

/**
 * The client carries an enum as an object of its values, and its validator checks them: every
 * member needs a value the compiler knows (TypeScript folds `1 << 2` and `A | 1` itself) and
 * that JSON can carry.
 */
export function enumProblems(entry: DeclarationEntry): Problem[] {
  if (!Node.isEnumDeclaration(entry.node)) return []
  return entry.node.getMembers().flatMap((member) => {
    const message = memberProblem(entry, member)
    return message === undefined ? [] : entry.usedBy.map((path) => sourceProblem(member, { code: 'unsupported_type', path, message }))
  })
}
