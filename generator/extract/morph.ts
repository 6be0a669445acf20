import { createRequire } from 'node:module'
import type * as TsMorph from 'ts-morph'

/**
 * ts-morph's values, loaded with `require`: an ESM `import` of this CommonJS package first has
 * Node scan all of it for its named exports (cjs-module-lexer), about a third of its load time
 * (bench/README.md). Every value import of ts-morph goes through this module; its types are
 * imported from 'ts-morph' itself with `import type`, which loads nothing.
 */
const morph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph

export const { Node, Project, SyntaxKind, ts } = morph
export type Node = TsMorph.Node
export type Project = TsMorph.Project
export type SyntaxKind = TsMorph.SyntaxKind

/** The compiler's types that task-gen names as `ts.X`, beside the `ts` value above. */
export declare namespace ts {
  export type CompilerHost = TsMorph.ts.CompilerHost
  export type CompilerOptions = TsMorph.ts.CompilerOptions
  export type Diagnostic = TsMorph.ts.Diagnostic
  export type DiagnosticCategory = TsMorph.ts.DiagnosticCategory
  export type ElementFlags = TsMorph.ts.ElementFlags
  export type ModuleKind = TsMorph.ts.ModuleKind
  export type ModuleResolutionKind = TsMorph.ts.ModuleResolutionKind
  export type Node = TsMorph.ts.Node
  export type ScriptKind = TsMorph.ts.ScriptKind
  export type ScriptTarget = TsMorph.ts.ScriptTarget
  export type SourceFile = TsMorph.ts.SourceFile
  export type Statement = TsMorph.ts.Statement
  export type SymbolFlags = TsMorph.ts.SymbolFlags
  export type TemplateLiteralType = TsMorph.ts.TemplateLiteralType
  export type TupleType = TsMorph.ts.TupleType
  export type Type = TsMorph.ts.Type
  export type TypeFlags = TsMorph.ts.TypeFlags
  export type TypeFormatFlags = TsMorph.ts.TypeFormatFlags
  export type TypeReference = TsMorph.ts.TypeReference
  export type UnionOrIntersectionType = TsMorph.ts.UnionOrIntersectionType
}
