/**
 * Thrown when something outside the user's input fails: a tool (terraform), the network, AWS
 * credentials or a service, a port. It is a user error (exit 1), not a bug in task-gen: the message
 * is one line naming the tool, region, queue or port, and what to do.
 */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError'

  /** `details`: what the tool printed, shown above the one line. */
  constructor(
    message: string,
    readonly details?: string,
  ) {
    super(message)
  }

  /** The same failure, with what was done before it (`applied on-failure; cdktf.out written`). */
  withNote(note: string): EnvironmentError {
    return new EnvironmentError(`${this.message}; ${note}`, this.details)
  }
}
