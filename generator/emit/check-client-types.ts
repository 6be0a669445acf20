import { join } from 'node:path'
import { ts, type Project } from '../extract/morph.js'
import { EXTRACT_COMPILER_OPTIONS } from '../extract/project.js'

/** The client's declaration files: what an app that installs it type-checks. */
const DECLARATION_FILES = ['index.d.ts', 'testing.d.ts']

/** How a consumer of the client compiles it: strict, with nothing but the standard library. */
const CHECK_OPTIONS: ts.CompilerOptions = {
  strict: true,
  // The handlers' target, so that the default library is the one they were read with.
  target: EXTRACT_COMPILER_OPTIONS.target,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  noEmit: true,
  skipDefaultLibCheck: true,
  types: [],
}

/**
 * The standard-library files the handlers were read with, already parsed: the check reuses them,
 * so that it parses and binds only the client's own declarations (and the same library the
 * extraction wrote lib type names against).
 */
function librarySourceFiles(project: Project): Map<string, ts.SourceFile> {
  const program = project.getProgram().compilerObject
  return new Map(
    program
      .getSourceFiles()
      .filter((file) => program.isSourceFileDefaultLibrary(file))
      .map((file) => [file.fileName, file]),
  )
}

/** A compiler host over the client's files in memory, and the parsed library files. */
function clientHost(files: Map<string, string>, libraries: Map<string, ts.SourceFile>, libDir: string): ts.CompilerHost {
  const text = (fileName: string) => files.get(fileName)
  return {
    getSourceFile: (fileName, languageVersion) => {
      const library = libraries.get(fileName)
      if (library) return library
      const source = text(fileName)
      return source === undefined ? undefined : ts.createSourceFile(fileName, source, languageVersion, true)
    },
    getDefaultLibFileName: (options) => join(libDir, ts.getDefaultLibFileName(options)),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (fileName) => text(fileName) !== undefined || libraries.has(fileName),
    readFile: (fileName) => text(fileName) ?? libraries.get(fileName)?.text,
  }
}

/**
 * TypeScript's errors in the generated client's declarations, formatted; none when it compiles.
 * Anything found is a bug in task-gen (the client is generated from types that compiled), so the
 * messages are for a bug report, not for the user's source.
 */
export function clientTypeErrors(files: Map<string, string>, project: Project): string[] {
  const libraries = librarySourceFiles(project)
  const libDir = [...libraries.keys()][0]?.replace(/\/[^/]*$/, '') ?? '/'
  const root = '/__task-gen-client__'
  const inMemory = new Map(DECLARATION_FILES.filter((name) => files.has(name)).map((name) => [join(root, name), files.get(name)!]))
  const program = ts.createProgram({ rootNames: [...inMemory.keys()], options: CHECK_OPTIONS, host: clientHost(inMemory, libraries, libDir) })
  // Only the client's files: the library was checked when it shipped.
  const own = [...inMemory.keys()].map((name) => program.getSourceFile(name)!)
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...own.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ]
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (!d.file || d.start === undefined) return `TS${d.code}: ${message}`
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
    return `${d.file.fileName.slice(root.length + 1)}:${line + 1}:${character + 1} TS${d.code}: ${message}`
  })
}
