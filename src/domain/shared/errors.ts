/** Domain errors carry a stable code; the web and API layers map codes to statuses and messages. */
export class DomainError extends Error {
  readonly code: string;
  /** The form field the problem belongs to, when there is one. */
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`);
    this.name = 'NotFoundError';
  }
}

/** Raised when a signed-in user may not see or change a record. Always audited by the caller. */
export class AccessDeniedError extends DomainError {
  constructor(message = 'You do not have access to this record') {
    super('ACCESS_DENIED', message);
    this.name = 'AccessDeniedError';
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, field?: string) {
    super('CONFLICT', message, field);
    this.name = 'ConflictError';
  }
}

/** One problem with one field, in words a caseworker can act on. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Details that break one or more rules. Carries every problem, so a form can show them all at once. */
export class InvalidDetailsError extends DomainError {
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[]) {
    const first = problems[0] ?? { field: '', message: 'The details are not valid' };
    super('INVALID_DETAILS', first.message, first.field || undefined);
    this.name = 'InvalidDetailsError';
    this.problems = problems;
  }
}

/** Collects problems; throws them together. */
export class ProblemList {
  readonly items: FieldProblem[] = [];
  add(field: string, message: string): void {
    if (!this.items.some((p) => p.field === field)) this.items.push({ field, message });
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(): void {
    if (this.items.length) throw new InvalidDetailsError(this.items);
  }
}

/**
 * The record changed since the form or request was based on it (its version is not the one the form
 * was given); nothing was saved. The one stale-record error: pages and the API answer it with 409.
 */
export class StaleRecordError extends ConflictError {
  constructor(
    message = 'This record was changed by someone else after you opened it. Your changes have not been saved',
  ) {
    super(message, 'version');
    this.name = 'StaleRecordError';
  }
}
