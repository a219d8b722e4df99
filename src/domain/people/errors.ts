import { ConflictError, DomainError } from '../shared/errors.ts';

/** One problem with one field, in words a caseworker can act on. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Stable codes for the people rules; the web and API layers branch on these, never on messages. */
export type PeopleErrorCode = 'INVALID_DETAILS' | 'PR_NOT_POSSIBLE' | 'UNKNOWN_RELATIONSHIP' | 'INVALID_CASE_NOTE';

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

export class PeopleError extends DomainError {
  declare readonly code: PeopleErrorCode;
  constructor(code: PeopleErrorCode, message: string, field?: string) {
    super(code, message, field);
    this.name = 'PeopleError';
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

/** Trimmed text, or null when blank. */
export function optionalText(v: string | null | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
}

export function requiredText(
  problems: ProblemList,
  field: string,
  v: string | null | undefined,
  missing: string,
  max: number,
  tooLong: string,
): string {
  const t = (v ?? '').trim();
  if (!t) problems.add(field, missing);
  else if (t.length > max) problems.add(field, tooLong);
  return t;
}

export function limitedText(
  problems: ProblemList,
  field: string,
  v: string | null | undefined,
  max: number,
  tooLong: string,
): string | null {
  const t = optionalText(v);
  if (t !== null && t.length > max) problems.add(field, tooLong);
  return t;
}

/** The record changed since the form or request was based on it; nothing was saved. */
export class StaleRecordError extends ConflictError {
  constructor() {
    super('This record was changed by someone else after you opened it. Your changes have not been saved', 'version');
    this.name = 'StaleRecordError';
  }
}
