/** The command line itself is wrong: an unknown command or option, a missing or extra argument (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help explains it; undefined for the top-level help. */
    readonly command?: string,
  ) {
    super(message);
  }
}
