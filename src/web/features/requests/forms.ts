/**
 * Form reading and error mapping for the requests-for-copies pages (A-1 … A-10). The rules live in
 * src/domain/requests and RequestService; this file only turns posted forms into their inputs and
 * their field names back into the ids of inputs on the page.
 */
import type { DeadlineRag, IsoDate } from '../../../domain/calendar/index.ts';
import type { ReferralInput, RequesterInput } from '../../../domain/requests/index.ts';
import { InvalidDetailsError } from '../../../domain/shared/errors.ts';
import type { FormError } from '../../types.ts';
import {
  type FormValues,
  dedupe,
  fieldIds,
  parseDateInput,
  problemsAsErrors,
  text,
  ticked,
} from '../../forms/index.ts';

/**
 * The id of the input a rule's field names, on a page where several forms may share a name: the
 * prefix (a step's name) keeps them apart. `children[1].dateOfBirth` → `children-1-dateOfBirth-day`,
 * `jointConsideration.on` → `jcOn-day`, `receivedOn` → `receivedOn-day`.
 */
export function fieldId(field: string, prefix = ''): string {
  return fieldIds({
    prefix,
    rows: true,
    dates: ['receivedOn', 'toldOn', 'dateOfBirth'],
    renames: {
      'jointConsideration.on': 'jcOn-day',
      'jointConsideration.participants': 'jcParticipants',
      'jointConsideration.notes': 'jcNotes',
      'jointConsideration.faceToFace': 'jcFaceToFace',
      children: 'children-0-fullName',
    },
  })(field);
}

/** A rule's problems as error summary items; access and not-found errors go on to the error pages. */
export function ruleErrors(err: unknown, prefix = ''): FormError[] {
  return problemsAsErrors(err, (field) => fieldId(field, prefix));
}

// ------------------------------------------------------------------ recording a request

export const REQUESTER_FIELDS = [
  'type',
  'childId',
  'personId',
  'contactName',
  'courtName',
  'courtReference',
  'complaintReference',
  'qaPurpose',
  'authorityName',
  'authorityReference',
  'authorityPurpose',
  'chairId',
  'receivedOn-day',
  'receivedOn-month',
  'receivedOn-year',
] as const;

/** Which fields each requester type's form shows (everything else is dropped, so nothing stale is saved). */
export const FIELDS_FOR_TYPE: Record<string, readonly string[]> = {
  child: ['childId'],
  'pr-holder': ['personId'],
  court: ['contactName', 'courtName', 'courtReference'],
  'complaints-service': ['contactName', 'complaintReference'],
  'qa-service': ['contactName', 'qaPurpose', 'complaintReference'],
  'local-authority': ['contactName', 'authorityName', 'authorityReference', 'authorityPurpose'],
};

export function readReceiveForm(body: Record<string, unknown>): FormValues {
  const v: FormValues = {};
  for (const k of REQUESTER_FIELDS) v[k] = text(body, k);
  const keep = new Set([
    'type',
    'chairId',
    'receivedOn-day',
    'receivedOn-month',
    'receivedOn-year',
    ...(FIELDS_FOR_TYPE[v['type'] as string] ?? []),
  ]);
  for (const k of REQUESTER_FIELDS) if (!keep.has(k)) v[k] = '';
  return v;
}

export function requesterInput(v: FormValues): RequesterInput {
  const s = (k: string) => ((v[k] as string | undefined) ?? '').trim() || null;
  return {
    type: s('type'),
    childId: s('childId'),
    personId: s('personId'),
    contactName: s('contactName'),
    courtName: s('courtName'),
    courtReference: s('courtReference'),
    complaintReference: s('complaintReference'),
    qaPurpose: s('qaPurpose'),
    authorityName: s('authorityName'),
    authorityReference: s('authorityReference'),
    authorityPurpose: s('authorityPurpose'),
  };
}

/** The received date: the GOV.UK date pattern's own message for a half-filled date. */
export function receivedOnOf(v: FormValues): { iso: IsoDate | null; error: FormError | null } {
  const d = parseDateInput(v, 'receivedOn', 'The date the request was received');
  if (d.error) return { iso: null, error: { text: d.error, href: '#receivedOn-day' } };
  if (!d.iso) return { iso: null, error: { text: 'Enter the date the request was received', href: '#receivedOn-day' } };
  return { iso: d.iso as IsoDate, error: null };
}

// ------------------------------------------------------------------ the chair's referral

/** Spare blank rows for parts to withhold, so no JavaScript is needed to add one. */
export const SPARE_WITHHELD_ROWS = 1;
export const MAX_WITHHELD_ROWS = 30;
const WITHHELD_FIELDS = ['recordingId', 'start', 'end', 'reason', 'explanation'] as const;

export const REFERRAL_FIELDS = [
  'email',
  'emailVerified',
  'nothingWithheld',
  'adjustment',
  'reasons',
  'advice',
  'jcOn-day',
  'jcOn-month',
  'jcOn-year',
  'jcFaceToFace',
  'jcNotes',
  'amendReason',
  'withheldRows',
] as const;
export const REFERRAL_LISTS = ['childIds', 'withheldSegmentIds', 'recordingIds', 'partIds', 'jcParticipants'] as const;

export function withheldRowCount(body: Record<string, unknown>, min: number): number {
  const n = Number.parseInt(text(body, 'withheldRows'), 10);
  return Math.min(MAX_WITHHELD_ROWS, Math.max(min, Number.isFinite(n) ? n : min));
}

export function readReferralForm(body: Record<string, unknown>, rows: number): FormValues {
  const v: FormValues = {};
  for (const k of REFERRAL_FIELDS) v[k] = text(body, k);
  for (const k of REFERRAL_LISTS) v[k] = ticked(body, k);
  for (let i = 0; i < rows; i++)
    for (const f of WITHHELD_FIELDS) v[`withheldAdded-${i}-${f}`] = text(body, `withheldAdded-${i}-${f}`);
  v['withheldRows'] = String(rows);
  return v;
}

/** The form's values as the domain's ReferralInput (blank withheld rows are left out; row numbers are kept by the order). */
export function referralInput(
  v: FormValues,
  rows: number,
  childRequester: boolean,
): { input: ReferralInput; rowIndex: number[]; dateError: FormError | null } {
  const s = (k: string) => ((v[k] as string | undefined) ?? '').trim();
  const list = (k: string) => (v[k] as string[] | undefined) ?? [];
  const rowIndex: number[] = [];
  const withheldAdded: NonNullable<ReferralInput['withheldAdded']>[number][] = [];
  for (let i = 0; i < rows; i++) {
    const row = Object.fromEntries(WITHHELD_FIELDS.map((f) => [f, s(`withheldAdded-${i}-${f}`)]));
    // A row with only the recording chosen (the default when there is one) is blank.
    if (!row['start'] && !row['end'] && !row['reason'] && !row['explanation']) continue;
    rowIndex.push(i);
    withheldAdded.push({
      recordingId: row['recordingId'] || null,
      start: row['start'],
      end: row['end'],
      reason: row['reason'] || null,
      explanation: row['explanation'],
    });
  }
  let dateError: FormError | null = null;
  let jointConsideration: ReferralInput['jointConsideration'] = null;
  if (childRequester) {
    const on = parseDateInput(v, 'jcOn', 'The date of the joint consideration');
    if (on.error) dateError = { text: on.error, href: '#jcOn-day' };
    const who = list('jcParticipants');
    jointConsideration = {
      on: on.iso ?? (on.error ? 'not a date' : null),
      childTookPart: who.includes('child'),
      socialWorkerTookPart: who.includes('social-worker'),
      chairTookPart: who.includes('chair'),
      faceToFace: s('jcFaceToFace') === 'yes',
      notes: s('jcNotes') || null,
    };
  }
  return {
    input: {
      childIds: list('childIds'),
      email: s('email'),
      emailVerified: s('emailVerified') === 'yes',
      withheldSegmentIds: list('withheldSegmentIds'),
      withheldAdded,
      nothingWithheld: s('nothingWithheld') === 'yes',
      recordingIds: list('recordingIds'),
      partIds: list('partIds'),
      jointConsideration,
      adjustment: s('adjustment') || null,
      reasons: s('reasons') || null,
      advice: s('advice') || null,
    },
    rowIndex,
    dateError,
  };
}

/** A rule's field for a withheld row counts the non-blank rows; the page's ids count every row. */
export function referralErrors(err: unknown, rowIndex: number[]): FormError[] {
  if (err instanceof InvalidDetailsError) {
    return dedupe(
      err.problems.map((p) => {
        const m = /^withheldAdded\[(\d+)\]\.(\w+)$/.exec(p.field);
        const field = m ? `withheldAdded[${rowIndex[Number(m[1])] ?? Number(m[1])}].${m[2]}` : p.field;
        return { text: p.message, href: `#${fieldId(field)}` };
      }),
    );
  }
  return ruleErrors(err);
}

// ------------------------------------------------------------------ the queue

export const RAG_TAG_CLASSES: Readonly<Record<DeadlineRag, string>> = {
  overdue: 'govuk-tag--red',
  'due-soon': 'govuk-tag--yellow',
  'on-track': 'govuk-tag--green',
};

export const RAG_TEXT: Readonly<Record<DeadlineRag, string>> = {
  overdue: 'Overdue',
  'due-soon': 'Due soon',
  'on-track': 'On track',
};
