import { Project, ts } from './morph.js'

/** Compiler options for reading handlers: strict, and lenient about how imports are written. */
export const EXTRACT_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
}

/** A ts-morph project over the real file system that loads the handler files and what they import. */
export function handlerProject(entries: readonly string[]): Project {
  const project = new Project({ compilerOptions: EXTRACT_COMPILER_OPTIONS, skipAddingFilesFromTsConfig: true })
  for (const entry of new Set(entries)) project.addSourceFileAtPath(entry)
  project.resolveSourceFileDependencies()
  return project
}

/** The same over ts-morph's in-memory file system, for tests: `files` maps absolute paths to sources. */
export function inMemoryHandlerProject(files: Record<string, string>): Project {
  const project = new Project({ compilerOptions: EXTRACT_COMPILER_OPTIONS, useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true })
  for (const [path, text] of Object.entries(files)) project.createSourceFile(path, text)
  return project
}

/** Every file of the program the types were read from, the standard library aside: what the extraction cache hashes. */
export function programFiles(project: Project): { path: string; text: string }[] {
  const program = project.getProgram().compilerObject
  return program
    .getSourceFiles()
    .filter((file) => !program.isSourceFileDefaultLibrary(file))
    .map((file) => ({ path: file.fileName, text: file.text }))
}

/** A project of no files but the standard library: for checking a client whose types came from the cache. */
export function libraryProject(): Project {
  const project = new Project({ compilerOptions: EXTRACT_COMPILER_OPTIONS, useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true })
  project.createSourceFile('/library-only.ts', 'export {}\n')
  return project
}
