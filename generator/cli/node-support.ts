import type { CliIo } from './io.js'

/** Node's end of life for 20, and the major the AWS SDK requires from early 2027 on. */
const NODE_20_END_OF_LIFE = '2026-04-30'
const SDK_NODE_MAJOR = 22

/** The one line task-gen prints instead of the AWS SDK's nine-line NodeVersionSupportWarning. */
export function nodeSupportLine(version = process.version): string {
  return (
    `task-gen: note: this is Node ${version}; Node 20 reached its end of life on ${NODE_20_END_OF_LIFE}, and AWS SDK releases after early January 2027 ` +
    `(and task-gen's after them) need Node ${SDK_NODE_MAJOR} or later: upgrade Node (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true hides this)`
  )
}

function isNodeSupportWarning(warning: string | Error): boolean {
  return (typeof warning === 'string' ? warning : warning.message).startsWith('NodeVersionSupportWarning')
}

/**
 * While a command runs, the AWS SDK's Node version warning (nine lines, once per SDK copy loaded)
 * becomes one line on the command's stderr; every other warning passes through unchanged.
 * Returns the function that puts process.emitWarning back.
 */
export function condenseNodeSupportWarning(io: CliIo): () => void {
  const original = process.emitWarning
  let printed = false
  const condensed = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    if (!isNodeSupportWarning(warning)) return (original as (...args: unknown[]) => void).call(process, warning, ...rest)
    if (!printed) io.stderr(nodeSupportLine())
    printed = true
  } as typeof process.emitWarning
  process.emitWarning = condensed
  return () => {
    if (process.emitWarning === condensed) process.emitWarning = original
  }
}
