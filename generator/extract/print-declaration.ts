import { Node, SyntaxKind } from 'ts-morph'
import { commentText, docComment, jsLiteral, propertyKey, textLines } from '../text/escape.js'
import type { DeclarationEntry, ExtractContext, Reference } from './context.js'
import { enumMemberName, enumMemberValue } from './enum-members.js'
import { printType } from './print-type.js'

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
  return references.map((r) => ({ start: r.start, end: r.end, text: 'target' in r ? ctx.nameOf(r.target) : printType(ctx, r.resolved.type, r.resolved.location) }))
}

/**
 * Gives every declaration its emitted name: its own, unless another declaration (or a standard
 * library type the output uses, or a name of the client's API) has it, then `<Name>_2`, `_3`, …,
 * in the order the declarations were found.
 */
export function allocateNames(ctx: ExtractContext, reserved: readonly string[]): void {
  const taken = new Set([...reserved, ...ctx.libNames])
  for (const entry of ctx.entries.values()) {
    let name = entry.originalName
    for (let n = 2; taken.has(name); n++) name = `${entry.originalName}_${n}`
    taken.add(name)
    entry.name = name
  }
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

/** Why a declaration has another name than its own (`Item_2`), for its JSDoc. */
function renameNote(entry: DeclarationEntry): string | undefined {
  if (entry.name === entry.originalName) return undefined
  return `task-gen: renamed from ${entry.originalName} (${commentText(entry.file)}): another exported type has that name.`
}

/** Where the declaration was copied from: its file relative to the project folder (never absolute) and line. */
function sourceNote(entry: DeclarationEntry): string {
  return `From ${commentText(entry.file)}:${entry.node.getStartLineNumber()}`
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

function printCopied(ctx: ExtractContext, entry: DeclarationEntry): string {
  const node = entry.node
  if (!Node.isInterfaceDeclaration(node) && !Node.isTypeAliasDeclaration(node)) throw new Error(`task-gen bug: cannot copy ${entry.originalName}`)
  const keyword = node.getFirstChildByKind(Node.isInterfaceDeclaration(node) ? SyntaxKind.InterfaceKeyword : SyntaxKind.TypeKeyword)
  if (!keyword) throw new Error(`task-gen bug: no keyword in the declaration of ${entry.originalName}`)
  const nameNode = node.getNameNode()
  const edits = [...referenceEdits(ctx, entry.references), { start: nameNode.getStart(), end: nameNode.getEnd(), text: ctx.nameOf(entry) }]
  const text = node.getSourceFile().getFullText().slice(keyword.getStart(), node.getEnd())
  return `${declarationDoc(entry)}export ${rewrite(text, keyword.getStart(), edits)}`
}

function printResolved(ctx: ExtractContext, entry: DeclarationEntry): string {
  const node = entry.node
  return `${declarationDoc(entry)}export type ${ctx.nameOf(entry)} = ${printType(ctx, node.getType(), node)}`
}

/** The declaration as the client package's .d.ts writes it. */
export function printDeclaration(ctx: ExtractContext, entry: DeclarationEntry): string {
  return entry.kind === 'enum' ? printEnum(ctx, entry) : entry.resolved ? printResolved(ctx, entry) : printCopied(ctx, entry)
}
