import { ts, type Project } from './morph.js'
import type { Problem } from '../errors/problem.js'

/**
 * Diagnostics about the environment the code runs in rather than the code: which `@types`
 * packages and standard libraries the app's own tsconfig brings ("Cannot find name 'process'.
 * Do you need to install type definitions for node?"). task-gen reads handlers without that
 * tsconfig, so these say nothing about the handler.
 */
const ENVIRONMENT_CODES = new Set([2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593, 2867, 2868])
/**
 * "Cannot find module" and its variants: an error of the code for a file of the app (`./gone.js`);
 * a package (`node:fs`, `task-gen/handler`, an SDK) is the install's business, and the bundler
 * says when one is missing.
 */
const MISSING_MODULE_CODES = new Set([2307, 2792])
/**
 * `noImplicitAny`'s family (TS7005–TS7053: "implicitly has an 'any' type"): handlers are read as
 * strict, but an app whose own tsconfig allows implicit any compiles them fine. The one that
 * matters to task-gen, an untyped payload parameter, is a warning of its own.
 */
function isImplicitAny(code: number): boolean {
  return code >= 7005 && code <= 7053 // 7016 among them, a package without types: the install's business too
}

function isAppFile(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/')
}

/** The module specifier a "cannot find module" diagnostic is about. */
function missingModule(diagnostic: ts.Diagnostic): string | undefined {
  if (!diagnostic.file || diagnostic.start === undefined) return undefined
  const text = diagnostic.file.text.slice(diagnostic.start, diagnostic.start + (diagnostic.length ?? 0))
  return /^['"](.*)['"]$/.exec(text)?.[1]
}

function isAboutTheCode(diagnostic: ts.Diagnostic): boolean {
  if (diagnostic.category !== ts.DiagnosticCategory.Error || ENVIRONMENT_CODES.has(diagnostic.code) || isImplicitAny(diagnostic.code)) return false
  if (!MISSING_MODULE_CODES.has(diagnostic.code)) return true
  const specifier = missingModule(diagnostic)
  return specifier === undefined || isAppFile(specifier)
}

function toProblem(diagnostic: ts.Diagnostic, path: string): Problem {
  const message = `${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} (TS${diagnostic.code})`
  const file = diagnostic.file
  if (!file || diagnostic.start === undefined) return { code: 'type_error', path, message }
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start)
  return { code: 'type_error', path, message, location: { file: file.fileName, line: line + 1, column: character + 1 } }
}

/** A file's diagnostics, and what they were computed against: the file and every file it reaches by import or reference. */
interface Checked {
  closure: Map<string, ts.SourceFile>
  diagnostics: readonly ts.Diagnostic[]
}

/** What an earlier run of the same project (a generate session) checked, and the files its program had. */
interface Memo {
  checked: Map<string, Checked>
  files: Set<ts.SourceFile>
}

const memos = new WeakMap<Project, Memo>()

/** The file and every file it reaches through imports, exports and references, as the program now has them. */
function closureOf(project: Project, fileName: string): Map<string, ts.SourceFile> {
  const closure = new Map<string, ts.SourceFile>()
  const start = project.getSourceFile(fileName)
  const queue = start ? [start] : []
  while (queue.length > 0) {
    const file = queue.pop()!
    if (closure.has(file.getFilePath())) continue
    closure.set(file.getFilePath(), file.compilerNode)
    queue.push(...file.getReferencedSourceFiles())
  }
  return closure
}

function sameFiles(a: ReadonlyMap<string, ts.SourceFile>, b: ReadonlyMap<string, ts.SourceFile>): boolean {
  if (a.size !== b.size) return false
  for (const [path, file] of a) if (b.get(path) !== file) return false
  return true
}

/** A file that can change what other files mean without being imported by them: a script's globals, `declare global`, a module augmentation. */
function mayReachEveryFile(file: ts.SourceFile): boolean {
  return !ts.isExternalModule(file) || /\bdeclare\s+(global|module)\b/.test(file.text)
}

/**
 * The memo of an earlier run of this project, unless a file changed since in a way that can reach
 * files that do not import it: then nothing earlier is reused.
 */
function memoOf(project: Project): Memo {
  const files = new Set(project.getProgram().compilerObject.getSourceFiles())
  const memo = memos.get(project)
  const changed = memo ? [...files].filter((file) => !memo.files.has(file)) : []
  const fresh: Memo = { checked: memo && !changed.some(mayReachEveryFile) ? memo.checked : new Map(), files }
  memos.set(project, fresh)
  return fresh
}

/**
 * A file's syntax errors, else its semantic ones. Within a generate session (the same project run
 * again after edits), a file whose closure of imports is the very same parsed files as last time
 * gets last time's diagnostics: they depend on nothing else (globals aside, see memoOf), and
 * checking every handler again was half of a warm regenerate.
 */
function diagnosticsOf(project: Project, memo: Memo, file: ts.SourceFile): readonly ts.Diagnostic[] {
  const { fileName } = file
  const closure = closureOf(project, fileName)
  const earlier = memo.checked.get(fileName)
  if (earlier && sameFiles(earlier.closure, closure)) return earlier.diagnostics
  const program = project.getProgram().compilerObject
  const syntax = program.getSyntacticDiagnostics(file)
  // A file that does not parse has no meaningful types to check.
  const diagnostics = syntax.length > 0 ? syntax : program.getSemanticDiagnostics(file)
  memo.checked.set(fileName, { closure, diagnostics })
  return diagnostics
}

/**
 * TypeScript's own errors in the given files (the handlers, and the files their payload types are
 * declared in), each a problem of the task that reads the file: the client is copied from these
 * files, so a type that does not compile (`{ a: strin }`) would give a client that lies. Only
 * these files are checked, one by one, so that the rest of the program is never type-checked.
 */
export function compileProblems(project: Project, taskOfFile: ReadonlyMap<string, string>): Problem[] {
  const program = project.getProgram().compilerObject
  const memo = memoOf(project)
  return [...taskOfFile].flatMap(([fileName, path]) => {
    const file = program.getSourceFile(fileName)
    if (!file) return []
    return diagnosticsOf(project, memo, file)
      .filter(isAboutTheCode)
      .map((d) => toProblem(d, path))
  })
}
