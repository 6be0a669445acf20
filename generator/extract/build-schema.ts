import type { Type } from 'ts-morph'
import { Node, ts } from './morph.js'
import type { PropertySchema, Schema, SchemaDefs } from '../../runtime/schema.js'
import type { TemplateHole } from '../../runtime/template-literal.js'
import { typeDeclarationOf, type ExtractContext } from './context.js'
import { MAX_TYPE_DEPTH, printType, tupleElementFlags, UnprintableTypeError, withoutUndefined } from './print-type.js'
import { isSymbolKeyed, unionMembers } from './type-members.js'

/** A value in a payload type that JSON.stringify / JSON.parse would not carry unchanged. */
export interface UnsafeValue {
  path: string
  kind: 'Date' | 'Map' | 'Set' | 'bigint' | 'function' | 'symbol' | 'class' | 'undefined-in-array' | 'non-finite' | 'too-deep' | 'other'
  message: string
  node: Node
}

/** What building a definition (or a payload) met: a value JSON would not carry, or another definition, at a path below it. */
type Finding = { unsafe: UnsafeValue } | { uses: Arrival & { name: string } }

/** Where a definition is used: the path below the user, and the node (a property) that uses it. */
interface Arrival {
  path: string
  node: Node
}

/** How long a path reads: its steps, then its characters. */
function pathLength(path: string): [number, number] {
  return [(path.match(/[.[]/g) ?? []).length, path.length]
}

function shorter(a: string, b: string): boolean {
  const [stepsA, charsA] = pathLength(a)
  const [stepsB, charsB] = pathLength(b)
  return stepsA !== stepsB ? stepsA < stepsB : charsA < charsB
}

/** The shortest path from the payload to every definition it uses (Dijkstra over the definitions' uses). */
function shortestPaths(root: readonly Finding[], findings: ReadonlyMap<string, readonly Finding[]>): Map<string, Arrival> {
  const best = new Map<string, Arrival>()
  const done = new Set<string>()
  const relax = (from: readonly Finding[], prefix: string) => {
    for (const finding of from) {
      if (!('uses' in finding)) continue
      const path = prefix + finding.uses.path
      const known = best.get(finding.uses.name)
      if (!done.has(finding.uses.name) && (known === undefined || shorter(path, known.path))) best.set(finding.uses.name, { path, node: finding.uses.node })
    }
  }
  relax(root, '')
  for (;;) {
    let next: string | undefined
    for (const [name, { path }] of best) if (!done.has(name) && (next === undefined || shorter(path, best.get(next)!.path))) next = name
    if (next === undefined) return best
    done.add(next)
    relax(findings.get(next) ?? [], best.get(next)!.path)
  }
}

/**
 * A payload's JSON problems, each once, at the shortest path the payload reaches it by (a library's
 * money type used by every price is one problem at the nearest price), in the order first met.
 */
function reportAtShortestPaths(root: readonly Finding[], findings: ReadonlyMap<string, readonly Finding[]>): UnsafeValue[] {
  const paths = shortestPaths(root, findings)
  const out: UnsafeValue[] = []
  const visited = new Set<string>()
  const walk = (from: readonly Finding[], at: Arrival | undefined) => {
    for (const finding of from) {
      // A definition that is itself the problem (a class) is placed where the shortest path uses it.
      if ('unsafe' in finding)
        out.push({ ...finding.unsafe, path: (at?.path ?? '') + finding.unsafe.path, node: at && finding.unsafe.path === '' ? at.node : finding.unsafe.node })
      else if (!visited.has(finding.uses.name)) {
        visited.add(finding.uses.name)
        walk(findings.get(finding.uses.name) ?? [], paths.get(finding.uses.name))
      }
    }
  }
  walk(root, undefined)
  return out
}

const LIB_CONTAINERS = new Set(['Array', 'ReadonlyArray', 'Object', '__type', '__object'])

function unsafeLibObject(name: string): Pick<UnsafeValue, 'kind' | 'message'> {
  if (name === 'Date') return { kind: 'Date', message: 'is Date, which arrives as a string; use an ISO string' }
  if (/^(Readonly|Weak)?Map$/.test(name)) return { kind: 'Map', message: `is ${name}, which arrives as {}; use an object or an array of [key, value] pairs` }
  if (/^(Readonly|Weak)?Set$/.test(name)) return { kind: 'Set', message: `is ${name}, which arrives as {}; use an array` }
  return { kind: 'other', message: `is ${name}, which does not survive JSON` }
}

/**
 * Builds the validator schema of a payload type from the checker, and finds on the way every value
 * that would not survive JSON. Named types become shared definitions, so recursive types work.
 */
export class SchemaBuilder {
  /** Without a prototype, so that `in` and assignment treat a type named `constructor` or `__proto__` as any other. */
  readonly defs: SchemaDefs = Object.create(null) as SchemaDefs
  readonly unsafe: UnsafeValue[] = []
  /** Anonymous types being built, by the checker's identity: one reached again becomes a definition. */
  private readonly building = new Map<ts.Type, { name?: string }>()
  /** Anonymous types that became definitions. */
  private readonly anonymousDefs = new Map<ts.Type, string>()
  /** What each definition holds that JSON would not carry, and the definitions it uses, at paths below it: every payload that uses it is told. */
  private readonly findings = new Map<string, Finding[]>()
  /** The definitions being built, innermost last (the payload itself first), with the path each starts at. */
  private readonly open: { path: string; findings: Finding[] }[] = []
  private depth = 0
  /** Set once a payload nests too deep: the rest of it is not built (a type that expands without end is as wide as it is deep). */
  private abandoned = false

  constructor(private readonly ctx: ExtractContext) {}

  /** The schema of one payload type. */
  payload(type: Type, node: Node): Schema {
    this.abandoned = false
    const findings: Finding[] = []
    this.open.splice(0, this.open.length, { path: '', findings })
    const schema = this.build(type, 'payload', node)
    this.unsafe.push(...reportAtShortestPaths(findings, this.findings))
    return schema
  }

  /** Records a finding of the definition being built, at its path below that definition. */
  private record(path: string, finding: (relative: string) => Finding): void {
    const current = this.open.at(-1)!
    current.findings.push(finding(path.slice(current.path.length)))
  }

  private flag(path: string, node: Node, problem: Pick<UnsafeValue, 'kind' | 'message'>): Schema {
    this.record(path, (relative) => ({ unsafe: { path: relative, node, ...problem } }))
    return { type: 'never' }
  }

  private defName(type: Type, node: Node): string | undefined {
    const alias = type.getAliasSymbol()
    if (!alias && (type.isArray() || type.isReadonlyArray() || type.isTuple())) return undefined
    const declaration = typeDeclarationOf(alias ?? type.getSymbol())
    // Only the user's own types: standard-library ones are checked afresh wherever they appear.
    if (!declaration || this.ctx.isLibNode(declaration)) return undefined
    const named = alias || Node.isInterfaceDeclaration(declaration)
    return named ? printType(this.ctx, type, node) : undefined
  }

  build(type: Type, path: string, node: Node): Schema {
    if (this.abandoned) return { type: 'never' }
    if (this.depth >= MAX_TYPE_DEPTH) {
      this.abandoned = true
      return this.flag(path, node, {
        kind: 'too-deep',
        message: `nests more than ${MAX_TYPE_DEPTH} types deep (a generic type that expands without end?); the client cannot write it`,
      })
    }
    this.depth++
    try {
      return this.buildType(type, path, node)
    } finally {
      this.depth--
    }
  }

  private buildType(type: Type, path: string, node: Node): Schema {
    const flags = type.getFlags()
    if (type.isAny() || type.isUnknown()) return { type: 'unknown' }
    // The handler's type parameter (or `this`) stands for its constraint, as the client's type says.
    if (type.isTypeParameter()) {
      const constraint = type.getConstraint()
      return constraint ? this.build(constraint, path, node) : { type: 'unknown' }
    }
    if (type.isNever()) return { type: 'never' }
    if (type.isBoolean()) return { type: 'boolean' }
    if (type.isString()) return { type: 'string' }
    if (type.isNumber()) return { type: 'number' }
    if (type.isNull()) return { type: 'null' }
    if (type.isUndefined() || type.isVoid()) return { type: 'undefined' }
    if (flags & ts.TypeFlags.BigIntLike)
      return this.flag(path, node, { kind: 'bigint', message: 'is bigint, which JSON.stringify cannot write; use a string or a number' })
    if (flags & ts.TypeFlags.ESSymbolLike) return this.flag(path, node, { kind: 'symbol', message: 'is a symbol, which JSON drops' })
    if (type.isLiteral() || type.isBooleanLiteral()) {
      const value = type.isBooleanLiteral() ? type.getText() === 'true' : type.getLiteralValue()
      // A non-finite enum member is reported at the member itself.
      if (typeof value === 'number' && !Number.isFinite(value) && !type.isEnumLiteral())
        return this.flag(path, node, { kind: 'non-finite', message: `is the number ${value}, which JSON writes as null` })
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { type: 'literal', value }
      return this.flag(path, node, { kind: 'bigint', message: 'is a bigint literal, which JSON.stringify cannot write' })
    }
    if (type.isTemplateLiteral()) return templateSchema(type)
    const name = this.defName(type, node)
    if (name === undefined) return this.anonymous(type, path, node)
    this.record(path, (relative) => ({ uses: { path: relative, node, name } }))
    if (!Object.hasOwn(this.defs, name)) {
      const findings: Finding[] = []
      this.findings.set(name, findings)
      this.open.push({ path, findings })
      try {
        this.defs[name] = { type: 'unknown' } // placeholder while a recursive type refers to itself
        this.defs[name] = this.structure(type, path, node)
      } finally {
        this.open.pop()
      }
    }
    return { type: 'ref', name }
  }

  /**
   * A type without a name is inlined, unless it is reached again while it is being built (a
   * recursion whose name TypeScript dropped, as in a union it flattened): then it becomes a
   * definition of its own, so that every recursion ends.
   */
  private anonymous(type: Type, path: string, node: Node): Schema {
    const key = type.compilerType
    const defined = this.anonymousDefs.get(key)
    if (defined !== undefined) return { type: 'ref', name: defined }
    const inProgress = this.building.get(key)
    if (inProgress) {
      inProgress.name ??= this.anonymousName(type, node)
      return { type: 'ref', name: inProgress.name }
    }
    const entry: { name?: string } = {}
    this.building.set(key, entry)
    let schema: Schema
    try {
      schema = this.structure(type, path, node)
    } finally {
      this.building.delete(key)
    }
    if (entry.name === undefined) return schema
    this.defs[entry.name] = schema
    this.anonymousDefs.set(key, entry.name)
    return { type: 'ref', name: entry.name }
  }

  /** A definition name for an anonymous type: its text, which no named type's has; a counter when it cannot be written. */
  private anonymousName(type: Type, node: Node): string {
    try {
      const text = printType(this.ctx, type, node)
      if (!Object.hasOwn(this.defs, text)) return text
    } catch (error) {
      if (!(error instanceof UnprintableTypeError)) throw error
    }
    let n = 1
    while (Object.hasOwn(this.defs, `<anonymous ${n}>`)) n++
    return `<anonymous ${n}>`
  }

  private structure(type: Type, path: string, node: Node): Schema {
    if (type.getCallSignatures().length > 0) return this.flag(path, node, { kind: 'function', message: 'is a function, which JSON drops' })
    const declaration = typeDeclarationOf(type.getSymbol())
    // A class instance, or one branded by an intersection (Stripe's `Decimal = DecimalImpl & { [__brand]: … }`): one problem, not one per method.
    const instanceOf = [declaration, ...(type.isIntersection() ? type.getIntersectionTypes().map((m) => typeDeclarationOf(m.getSymbol())) : [])].find(
      (d) => d !== undefined && Node.isClassDeclaration(d) && !this.ctx.isLibNode(d),
    )
    if (instanceOf && Node.isClassDeclaration(instanceOf)) {
      const className = instanceOf.getName() ?? '(anonymous)'
      const alias = type.getAliasSymbol()?.getName()
      const what = alias && alias !== className ? `${alias}, an instance of class ${className}` : `an instance of class ${className}`
      return this.flag(path, node, { kind: 'class', message: `is ${what}, which arrives as a plain object without its methods; use an interface` })
    }
    const symbolName = type.getSymbol()?.getName()
    if (
      type.isObject() &&
      declaration &&
      symbolName &&
      this.ctx.isLibNode(declaration) &&
      !LIB_CONTAINERS.has(symbolName) &&
      !type.isArray() &&
      !type.isReadonlyArray() &&
      !type.isTuple()
    ) {
      return this.flag(path, node, unsafeLibObject(symbolName))
    }
    if (type.isUnion()) return this.union(unionMembers(type), path, node)
    if (type.isIntersection()) {
      const primitive = type.getIntersectionTypes().find((m) => m.isString() || m.isNumber() || m.isBoolean() || m.isLiteral())
      // A branded primitive (`string & { __brand: 'Id' }`) travels as the primitive.
      if (primitive) return this.build(primitive, path, node)
      return this.object(type, path, node)
    }
    if (type.isArray() || type.isReadonlyArray()) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0]
      if (!element) return { type: 'array', items: { type: 'unknown' } }
      if (element.isUndefined() || (element.isUnion() && element.getUnionTypes().some((m) => m.isUndefined()))) {
        return this.flag(path, node, { kind: 'undefined-in-array', message: 'is an array that may hold undefined, which JSON writes as null; use null' })
      }
      return { type: 'array', items: this.build(element, `${path}[]`, node) }
    }
    if (type.isTuple()) {
      const flags = tupleElementFlags(type)
      const items: Schema[] = []
      let required = 0
      let rest: Schema | undefined
      type.getTupleElements().forEach((element, i) => {
        const flag = flags[i] ?? ts.ElementFlags.Required
        const schema = this.build(element, `${path}[${i}]`, node)
        if (flag & ts.ElementFlags.Rest) rest = schema
        else {
          items.push(schema)
          if (flag & ts.ElementFlags.Required) required = items.length
        }
      })
      return rest ? { type: 'tuple', items, required, rest } : { type: 'tuple', items, required }
    }
    if (type.isObject()) return this.object(type, path, node)
    // `object`: any value that is not a primitive, an array as much as an object.
    if (type.getFlags() & ts.TypeFlags.NonPrimitive)
      return {
        type: 'union',
        anyOf: [
          { type: 'object', properties: {}, additional: { type: 'unknown' } },
          { type: 'array', items: { type: 'unknown' } },
        ],
      }
    return { type: 'unknown' }
  }

  private union(members: Type[], path: string, node: Node): Schema {
    const hasTrue = members.some((m) => m.isBooleanLiteral() && m.getText() === 'true')
    const hasFalse = members.some((m) => m.isBooleanLiteral() && m.getText() === 'false')
    const anyOf = members.filter((m) => !(hasTrue && hasFalse && m.isBooleanLiteral())).map((m) => this.build(m, path, node))
    if (hasTrue && hasFalse) anyOf.push({ type: 'boolean' })
    return { type: 'union', anyOf }
  }

  private object(type: Type, path: string, node: Node): Schema {
    // Without a prototype: assigning `properties['__proto__']` makes a property, as for any other name.
    const properties: Record<string, PropertySchema> = Object.create(null)
    for (const property of type.getProperties()) {
      const declaration = property.getDeclarations()[0]
      const at = declaration && !this.ctx.isLibNode(declaration) ? declaration : node
      const propertyType = property.getTypeAtLocation(at)
      const propertyPath = `${path}.${property.getName()}`
      // A symbol-keyed property that can hold nothing (type-fest's `[emptyObjectSymbol]?: never`) is never sent.
      if (isSymbolKeyed(property) && property.isOptional() && (propertyType.isNever() || propertyType.isUndefined())) continue
      if (isSymbolKeyed(property)) {
        this.flag(
          `${path}[${
            declaration && Node.isPropertyNamed(declaration)
              ? declaration
                  .getNameNode()
                  .getText()
                  .replace(/^\[|\]$/g, '')
              : property.getName()
          }]`,
          at,
          { kind: 'symbol', message: 'is keyed by a symbol, which JSON drops' },
        )
        continue
      }
      // JSON drops a property whose value is undefined: a key that may hold undefined may be absent.
      const optional = property.isOptional() || admitsUndefined(propertyType)
      const schema =
        property.isOptional() && propertyType.isUnion()
          ? this.union(withoutUndefined(propertyType.getUnionTypes()), propertyPath, at)
          : this.build(propertyType, propertyPath, at)
      properties[property.getName()] = { schema: simplify(schema), optional }
    }
    const index = type.getStringIndexType() ?? type.getNumberIndexType()
    return index ? { type: 'object', properties, additional: this.build(index, `${path}[string]`, node) } : { type: 'object', properties }
  }
}

/** Whether undefined is one of a type's values. */
function admitsUndefined(type: Type): boolean {
  return (
    type.isAny() ||
    type.isUnknown() ||
    type.isUndefined() ||
    type.isVoid() ||
    (type.isUnion() && type.getUnionTypes().some((m) => m.isUndefined() || m.isVoid()))
  )
}

/** A template literal type's schema: its texts, and what each placeholder accepts. */
function templateSchema(type: Type): Schema {
  const template = type.compilerType as ts.TemplateLiteralType
  const holes = template.types.map(
    (hole): TemplateHole => (hole.flags & ts.TypeFlags.NumberLike ? 'number' : hole.flags & ts.TypeFlags.BigIntLike ? 'bigint' : 'string'),
  )
  return { type: 'template', texts: [...template.texts], holes }
}

/** A union of one is that one. */
function simplify(schema: Schema): Schema {
  return schema.type === 'union' && schema.anyOf.length === 1 ? schema.anyOf[0]! : schema
}
