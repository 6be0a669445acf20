import { Node, SyntaxKind } from './morph.js'
import { commentText, docComment, jsLiteral, propertyKey, textLines } from '../text/escape.js'
import { firstOfStructure, type DeclarationEntry, type ExtractContext, type Reference } from './context.js'
import { packageOf } from './allocate-names.js'
import { enumMemberName, enumMemberValue } from './enum-members.js'
import { printType, UnprintableTypeError } from './print-type.js'

interface Edit {
  start: number
  end: number
  text: string
}

/** The source text of [start, end) with edits applied; edits are absolute positions in the same file. */
function rewrite(text: string, base: number, edits: readonly Edit[]): string {
  let out = ''
  let at = base
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at - base, edit.start - base) + edit.text
    at = edit.end
  }
  return out + text.slice(at - base)
}

function referenceEdits(ctx: ExtractContext, references: readonly Reference[]): Edit[] {
  return references.map((r) => ({
    start: r.start,
    end: r.end,
    text: 'target' in r ? ctx.referenceName(r.target) : printType(ctx, r.resolved.type, r.resolved.location),
  }))
}

/** A written type (a parameter's annotation), re-pointed at the emitted names. */
export function printWrittenType(ctx: ExtractContext, node: Node, references: readonly Reference[]): string {
  return rewrite(node.getText(), node.getStart(), referenceEdits(ctx, references))
}

/** The text of a JSDoc comment without its delimiters and leading `*`s, or undefined when there is none. */
export function jsDocText(node: Node): string | undefined {
  if (!Node.isJSDocable(node)) return undefined
  const docs = node.getJsDocs()
  if (docs.length === 0) return undefined
  const lines = docs.flatMap((doc) =>
    textLines(doc.getText().slice('/**'.length, -'*/'.length)).map((line, i) => (i === 0 ? line : line.replace(/^\s*\*/, '')).replace(/^ /, '').trimEnd()),
  )
  while (lines[0] === '') lines.shift()
  while (lines.at(-1) === '') lines.pop()
  return lines.length > 0 ? lines.join('\n') : undefined
}

/** The declaration's JSDoc, written afresh (so that nothing copied can end it early), and a line break. */
function jsDoc(node: Node, indent = ''): string {
  const text = jsDocText(node)
  return text === undefined ? '' : `${docComment(text, indent)}\n`
}

/** Why a declaration has another name than its own (`Item_2`, `Charge_Status`), for its JSDoc. */
function renameNote(entry: DeclarationEntry): string | undefined {
  if (entry.name === entry.originalName) return undefined
  if (entry.qualified) return `task-gen: ${commentText(entry.qualified)}.`
  return `task-gen: renamed from ${entry.originalName} (${commentText(entry.file)}): another exported type has that name.`
}

/**
 * Where the declaration was copied from, and its line: a package's file by its module path
 * (`stripe/types/Charges.d.ts`, the same on every machine), the app's relative to the project
 * folder (never absolute).
 */
function sourceNote(entry: DeclarationEntry): string {
  const pkg = packageOf(entry)
  const file = pkg ? `${pkg.name}/${pkg.file}` : entry.file
  return `From ${commentText(file)}:${entry.node.getStartLineNumber()}`
}

/** The declaration's own JSDoc with the rename note and its source in the same block, so that editors show them on hover. */
function declarationDoc(entry: DeclarationEntry): string {
  const text = [jsDocText(entry.node), renameNote(entry), sourceNote(entry)].filter((part) => part !== undefined).join('\n\n')
  return `${docComment(text)}\n`
}

function printEnum(ctx: ExtractContext, entry: DeclarationEntry): string {
  const node = entry.node
  if (!Node.isEnumDeclaration(node)) throw new Error('task-gen bug: enum entry without an enum declaration')
  const members = node.getMembers().map((member) => `${jsDoc(member, '  ')}  ${propertyKey(enumMemberName(member))} = ${jsLiteral(enumMemberValue(member))},`)
  return `${declarationDoc(entry)}export declare enum ${ctx.nameOf(entry)} {\n${members.join('\n')}\n}`
}

function copiedText(ctx: ExtractContext, entry: DeclarationEntry, name: string): string {
  const node = entry.node
  if (!Node.isInterfaceDeclaration(node) && !Node.isTypeAliasDeclaration(node)) throw new Error(`task-gen bug: cannot copy ${entry.originalName}`)
  const keyword = node.getFirstChildByKind(Node.isInterfaceDeclaration(node) ? SyntaxKind.InterfaceKeyword : SyntaxKind.TypeKeyword)
  if (!keyword) throw new Error(`task-gen bug: no keyword in the declaration of ${entry.originalName}`)
  const nameNode = node.getNameNode()
  const edits = [...referenceEdits(ctx, entry.references), { start: nameNode.getStart(), end: nameNode.getEnd(), text: name }]
  const text = node.getSourceFile().getFullText().slice(keyword.getStart(), node.getEnd())
  return rewrite(text, keyword.getStart(), edits)
}

function resolvedText(ctx: ExtractContext, entry: DeclarationEntry, name: string): string {
  return `type ${name} = ${printType(ctx, entry.node.getType(), entry.node)}`
}

/** The declaration's text after `export`, under `name`: what two declarations of one structure share. */
function declarationText(ctx: ExtractContext, entry: DeclarationEntry, name: string): string {
  return entry.resolved ? resolvedText(ctx, entry, name) : copiedText(ctx, entry, name)
}

/**
 * The text that decides whether two declarations are one structure: the declaration without its
 * name and JSDoc, references written as their first declaration's names. Undefined for what is
 * never merged: enums (the client's values are each enum's own), generic declarations, and a
 * declaration the client cannot write (reported when it is printed).
 */
export function structureKey(ctx: ExtractContext, entry: DeclarationEntry): string | undefined {
  if (entry.kind === 'enum') return undefined
  if ((Node.isInterfaceDeclaration(entry.node) || Node.isTypeAliasDeclaration(entry.node)) && entry.node.getTypeParameters().length > 0) return undefined
  try {
    return declarationText(ctx, entry, '')
  } catch (error) {
    if (error instanceof UnprintableTypeError) return undefined
    throw error
  }
}

/** The declaration as the client package's .d.ts writes it: an alias when an earlier one has its structure. */
export function printDeclaration(ctx: ExtractContext, entry: DeclarationEntry): string {
  if (entry.kind === 'enum') return printEnum(ctx, entry)
  const text = entry.sameAs ? `type ${ctx.nameOf(entry)} = ${ctx.nameOf(firstOfStructure(entry))}` : declarationText(ctx, entry, ctx.nameOf(entry))
  return `${declarationDoc(entry)}export ${text}`
}
