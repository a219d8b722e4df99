import { PeopleError } from './errors.ts';

/** A note typed by staff on the child's record. Other features write their own kinds (A-7, P-3). */
export const STAFF_NOTE_KIND = 'note';

/** Labels for kinds this feature knows; other kinds show as their code until their feature names them. */
export const CASE_NOTE_KIND_LABELS: Record<string, string> = {
  note: 'Case note',
  'conference-record-change': 'Change to a conference record',
  'police-report-shared': 'Police report shared with the family',
  'copy-request-sent': 'Copy of a conference recording sent',
  'conference-cancelled': 'Conference cancelled',
  'document-issued': 'Conference document issued',
  'complaint-recorded': 'Complaint about a conference recorded',
  'complaint-closed': 'Complaint about a conference closed',
  'covert-recording-found': 'Covert recording of a conference found',
  'covert-recording-closed': 'Covert recording incident closed',
  'plan-ended': 'Child protection plan ended',
  'plan-transfer': 'Moved to another authority with a child protection plan',
};

const KIND = /^[a-z][a-z0-9-]{0,39}$/;
export const CASE_NOTE_MAX_LENGTH = 10_000;

export function validateCaseNote(kind: string, text: string): { kind: string; text: string } {
  if (!KIND.test(kind)) throw new PeopleError('INVALID_CASE_NOTE', `Unknown kind of case note: ${kind}`, 'kind');
  const trimmed = text.trim();
  if (!trimmed) throw new PeopleError('INVALID_CASE_NOTE', 'Enter the case note', 'text');
  if (trimmed.length > CASE_NOTE_MAX_LENGTH) {
    throw new PeopleError(
      'INVALID_CASE_NOTE',
      `Case note must be ${CASE_NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
      'text',
    );
  }
  return { kind, text: trimmed };
}
