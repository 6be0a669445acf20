import { extractTypes, type Extraction } from '../../generator/extract/extract.js'
import { inMemoryHandlerProject } from '../../generator/extract/project.js'
import { CLIENT_RESERVED_NAMES } from '../../generator/emit/client-files.js'
import { UserError } from '../../generator/errors/problem.js'
import { formatProblem } from '../../generator/errors/format-problems.js'
import { loadInMemory, minimalConfig } from './project.js'

/** Extracts one task `orders.t` whose handler is `/project/src/handler.ts`, all on in-memory file systems. */
export function extractOne(files: Record<string, string>, handler?: string): Extraction {
  const task = handler ? { consumer: { code: './src/handler.ts', handler } } : './src/handler.ts'
  const model = loadInMemory(minimalConfig({ stacks: { orders: { tasks: { t: task } } } }))
  const project = inMemoryHandlerProject(Object.fromEntries(Object.entries(files).map(([path, text]) => [`/project/src/${path}`, text])))
  return extractTypes(model, project, CLIENT_RESERVED_NAMES)
}

/** The problems extraction reports, formatted as the CLI prints them (paths relative to /project). */
export function extractProblems(files: Record<string, string>, handler?: string): string[] {
  try {
    extractOne(files, handler)
  } catch (error) {
    if (error instanceof UserError) return error.problems.map((p) => formatProblem(p, '/project'))
    throw error
  }
  return []
}
