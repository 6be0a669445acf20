import type { AttemptError } from '../../runtime/dev/protocol.js'

/** How much of an attempt's log `LogType: Tail` returns: its last 4 KB. */
export const TAIL_BYTES = 4096

/** What an attempt's log is made of: what the handler printed, and how the attempt ended. */
export interface AttemptLog {
  requestId: string
  lines: readonly string[]
  error: AttemptError | undefined
  timedOut: boolean
  durationMs: number
  memoryMb: number
  /** The most resident memory the worker used, where dev can measure it. */
  maxMemoryMb?: number
}

/**
 * The attempt's log as Lambda writes it to CloudWatch: START, what the handler printed, the
 * runtime's line for an error, END and REPORT.
 */
export function attemptLogText(log: AttemptLog): string {
  const { requestId } = log
  const lines = [`START RequestId: ${requestId} Version: $LATEST`, ...log.lines]
  if (log.timedOut && log.error) lines.push(`${new Date().toISOString()} ${requestId} ${log.error.errorMessage}`)
  else if (log.error) lines.push(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(log.error)}`)
  lines.push(`END RequestId: ${requestId}`)
  const duration = log.durationMs.toFixed(2)
  const used = log.maxMemoryMb === undefined ? '' : `Max Memory Used: ${Math.ceil(log.maxMemoryMb)} MB\t`
  lines.push(
    `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${Math.max(1, Math.ceil(log.durationMs))} ms\tMemory Size: ${log.memoryMb} MB\t${used}`,
  )
  return `${lines.join('\n')}\n`
}

/** `X-Amz-Log-Result`: the last 4 KB of the attempt's log, base64. */
export function logTail(log: AttemptLog): string {
  const bytes = Buffer.from(attemptLogText(log), 'utf8')
  return bytes.subarray(Math.max(0, bytes.byteLength - TAIL_BYTES)).toString('base64')
}
