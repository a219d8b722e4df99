/** Exit codes: 0 done, 1 failed (or the audit trail failed verification), 2 usage error, 78 bad configuration (EX_CONFIG). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 78,
} as const;

/** The command was called wrongly: a missing or invalid option, or no password on standard input. Exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command ran but did not succeed, and the message says why. Exit 1. */
export class CommandFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}
