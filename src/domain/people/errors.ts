import { DomainError, type ProblemList } from '../shared/errors.ts';

/** Stable codes for the people rules; the web and API layers branch on these, never on messages. */
export type PeopleErrorCode = 'INVALID_DETAILS' | 'PR_NOT_POSSIBLE' | 'UNKNOWN_RELATIONSHIP' | 'INVALID_CASE_NOTE';

export class PeopleError extends DomainError {
  declare readonly code: PeopleErrorCode;
  constructor(code: PeopleErrorCode, message: string, field?: string) {
    super(code, message, field);
    this.name = 'PeopleError';
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
