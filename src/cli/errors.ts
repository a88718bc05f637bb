/** Bad usage: exit 2 with the usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The walk could not be made: exit 1 with this one-line reason. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}
