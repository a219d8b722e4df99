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
