/** task-gen's programmatic API: load and validate a config into the model that every stage reads. */
export { loadModel, type LoadModelOptions } from './model/load-model.js'
export type { Model, StackModel, TaskModel, FunctionModel, OnFailureModel, BundleModel, ClientModel } from './model/model.js'
export type { ConfigInput, Config } from './config/schema.js'
export { configJsonSchema } from './config/json-schema.js'
export { UserError, type Problem, type ProblemCode, type SourceLocation } from './errors/problem.js'
export { formatProblem, formatProblems } from './errors/format-problems.js'
export { memoryFileSystem, nodeFileSystem, type FileSystem } from './fs/file-system.js'
