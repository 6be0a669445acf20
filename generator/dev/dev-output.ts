import type { CliIo } from '../process/io.js'
import type { AttemptReport } from './async-events.js'
import { taskLabel } from '../../runtime/names.js'

const COLOURS = { red: 31, green: 32, yellow: 33, dim: 2, cyan: 36 } as const
type Colour = keyof typeof COLOURS

/** Lines of `task-gen dev`: plain when piped, coloured on a TTY. */
export class DevOutput {
  constructor(
    private readonly io: CliIo,
    private readonly colour: boolean,
  ) {}

  paint(text: string, colour: Colour): string {
    return this.colour ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text
  }

  info(text: string): void {
    this.io.stdout(text)
  }

  problem(text: string): void {
    this.io.stderr(text)
  }

  /** A line the handler printed, prefixed with its task. */
  handlerLine(label: string, line: string): void {
    this.io.stdout(`${this.paint(`${label} |`, 'dim')} ${line}`)
  }

  /** One line per attempt: task, attempt, request id, duration, outcome. */
  attempt({ task, requestId, attempt, result }: AttemptReport, of: number): void {
    const [outcome, colour] = outcomeOf(result)
    this.io.stdout(
      `${this.paint(taskLabel(task.stack, task.task), 'cyan')}  attempt ${attempt}/${of}  ${requestId}  ${result.durationMs} ms  ${this.paint(outcome, colour)}`,
    )
  }
}

function outcomeOf(result: AttemptReport['result']): [string, Colour] {
  const record = result.records[0]
  if (record)
    return [
      `${record.requestContext.condition === 'ValidationFailed' ? 'invalid payload' : 'non-retryable'}: ${record.responsePayload?.errorMessage ?? ''}`,
      'red',
    ]
  if (result.ok) return ['success', 'green']
  if (result.timedOut) return [`timeout: ${result.error!.errorMessage}`, 'red']
  return [`error: ${result.error!.errorType}: ${result.error!.errorMessage}`, 'yellow']
}
