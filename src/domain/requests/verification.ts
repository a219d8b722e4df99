/**
 * A-5: before anything is sent, the requester confirms their email address is secure and gives the
 * full name and date of birth of every child in the request. Their reply is compared with the
 * children's records here.
 *
 * Names are compared ignoring case, spacing and accents ("Zoë  ANNE Smith" matches "Zoe Anne Smith"),
 * and typographic apostrophes and dashes are read as plain ones (phones type ’ for '), but otherwise
 * exactly: a missing middle name, a different spelling or a nickname does not match. Dates of birth
 * must be the same day.
 *
 * The result says which children did not match and how, for staff (who can see the records anyway),
 * and a message for the requester that reveals nothing: not which child, not which detail, not the
 * values on the record. A reply that names a child who is not in the request is also a mismatch, so
 * the chair sees it (it may be a sibling the requester holds no PR for).
 *
 * An unborn child (a pre-birth conference) has no date of birth: the requester gives the expected
 * date of delivery instead, and that is the date compared. The name is not compared for an unborn
 * child, because the name on an unborn baby's record is provisional ("Baby Stone"). An unborn child
 * with neither date on record cannot be checked: they are left out of the check, and staff are told
 * which child and why (`notCheckable`, `notes`). If no child in the request can be checked,
 * verification fails with `no-checkable-child` and staff are told to update the record first.
 */
import { isIsoDate, type IsoDate } from '../calendar/index.ts';
import { ProblemList } from '../shared/errors.ts';

export interface VerificationReplyChild {
  fullName: string;
  dateOfBirth: IsoDate;
}

/** The requester's reply, as typed in by business support. */
export interface VerificationReply {
  /** The requester confirmed the email address is secure (only they read it). */
  emailConfirmedSecure: boolean;
  children: readonly VerificationReplyChild[];
}

export interface VerificationReplyInput {
  emailConfirmedSecure?: boolean | string | null;
  children?: ReadonlyArray<{ fullName?: string | null; dateOfBirth?: string | null }> | null;
}

/** A child on record, as the requester should describe them. */
export interface VerificationRecordChild {
  id: string;
  givenNames: string;
  familyName: string;
  dateOfBirth: IsoDate | null;
  /** An unborn child: the expected date of delivery on record (the child record holds one or the other). */
  expectedDeliveryDate?: IsoDate | null;
}

/** The date a requester is asked for: the date of birth, or for an unborn child the expected date of delivery. */
export function checkedDateOf(c: VerificationRecordChild): IsoDate | null {
  return c.dateOfBirth ?? c.expectedDeliveryDate ?? null;
}

export function isUnborn(c: VerificationRecordChild): boolean {
  return c.dateOfBirth === null;
}

export const VERIFICATION_NAME_MAX = 300;

/**
 * Checks the reply form: every child given has a full name and a real date of birth, and whether the
 * email was confirmed is answered. Field names: `emailConfirmedSecure`, `children`,
 * `children[i].fullName`, `children[i].dateOfBirth`. Throws InvalidDetailsError.
 */
export function validateVerificationReply(input: VerificationReplyInput): VerificationReply {
  const p = new ProblemList();
  const confirmed = input.emailConfirmedSecure;
  let emailConfirmedSecure = false;
  if (confirmed === true || confirmed === 'yes') emailConfirmedSecure = true;
  else if (confirmed === false || confirmed === 'no') emailConfirmedSecure = false;
  else p.add('emailConfirmedSecure', 'Select whether the requester confirmed their email address is secure');
  const rows = (input.children ?? []).filter((c) => (c.fullName ?? '').trim() || (c.dateOfBirth ?? '').trim());
  if (rows.length === 0) p.add('children', 'Enter the full name and date of birth of each child the requester gave');
  const children: VerificationReplyChild[] = [];
  rows.forEach((c, i) => {
    const fullName = (c.fullName ?? '').trim();
    const dob = (c.dateOfBirth ?? '').trim();
    if (!fullName) p.add(`children[${i}].fullName`, `Enter the full name given for child ${i + 1}`);
    else if (fullName.length > VERIFICATION_NAME_MAX)
      p.add(`children[${i}].fullName`, `The name must be ${VERIFICATION_NAME_MAX} characters or fewer`);
    if (!dob) p.add(`children[${i}].dateOfBirth`, `Enter the date of birth given for child ${i + 1}`);
    else if (!isIsoDate(dob))
      p.add(`children[${i}].dateOfBirth`, `The date of birth given for child ${i + 1} must be a real date`);
    if (fullName && isIsoDate(dob)) children.push({ fullName, dateOfBirth: dob });
  });
  p.throwIfAny();
  return { emailConfirmedSecure, children };
}

/**
 * A name reduced for comparison: Unicode compatibility form, accents and other combining marks
 * removed, typographic apostrophes and dashes made plain, lower case, runs of white space made one
 * space, trimmed. Nothing else is removed: "O'Brien" and "OBrien" stay different.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u201B\u02BC\u02B9\u0060\u00B4\u2032]/g, "'")
    .replace(/[\u2010-\u2015\u2212\uFE63\uFF0D]/g, '-')
    .toLocaleLowerCase('en-GB')
    .replace(/\s+/g, ' ')
    .trim();
}

export function namesMatch(a: string, b: string): boolean {
  return normaliseName(a) === normaliseName(b);
}

/** The full name on record: given names then family name. */
export function recordFullName(c: Pick<VerificationRecordChild, 'givenNames' | 'familyName'>): string {
  return `${c.givenNames} ${c.familyName}`;
}

export const VERIFICATION_PROBLEMS = ['name', 'date-of-birth', 'expected-delivery-date', 'not-given'] as const;
export type VerificationProblem = (typeof VERIFICATION_PROBLEMS)[number];

export interface VerificationMismatch {
  childId: string;
  /**
   * name: the date of birth was given, with a different name; date-of-birth: the name matched, the date
   * did not; expected-delivery-date: an unborn child's expected date of delivery was not given;
   * not-given: neither matched.
   */
  problem: VerificationProblem;
}

export type VerificationFailure = 'email-not-confirmed' | 'mismatch' | 'unexpected-child' | 'no-checkable-child';

export interface VerificationResult {
  matched: boolean;
  emailConfirmedSecure: boolean;
  /** Why it did not match (empty when matched). */
  failures: VerificationFailure[];
  mismatches: VerificationMismatch[];
  /** Children named in the reply who match no child in the request. */
  unexpectedChildren: number;
  /** Children in the request left out of the check: unborn, with no expected date of delivery on record. */
  notCheckable: string[];
  /** For staff, whatever the result: how unborn children were checked, or why they were left out. */
  notes: string[];
  /** For staff: one sentence per problem, naming the child as on record. Never the requester's or the record's values. */
  staffMessages: string[];
  /** For the requester: says nothing about which child or detail, and nothing from the record. */
  requesterMessage: string;
}

export const REQUESTER_MATCHED_MESSAGE = 'Thank you. Your details have been confirmed.';
export const REQUESTER_MISMATCH_MESSAGE =
  'The details you gave do not match our records, so we cannot send the recording yet. The conference chair will contact you about what happens next.';

/**
 * compares the requester's reply with the records of the children in the request. Each child on
 * record is paired with a reply entry with the same name; failing that, with an unpaired entry with
 * the same date of birth (a name mismatch); failing that, it was not given.
 */
export function matchVerification(
  reply: VerificationReply,
  recordChildren: readonly VerificationRecordChild[],
): VerificationResult {
  const unused = reply.children.map((c, i) => ({ i, name: normaliseName(c.fullName), dateOfBirth: c.dateOfBirth }));
  const take = (pred: (e: (typeof unused)[number]) => boolean) => {
    const at = unused.findIndex(pred);
    return at < 0 ? null : unused.splice(at, 1)[0]!;
  };
  const checkable = recordChildren.filter((c) => checkedDateOf(c) !== null);
  const born = checkable.filter((c) => !isUnborn(c));
  const unborn = checkable.filter((c) => isUnborn(c));
  const leftOut = recordChildren.filter((c) => checkedDateOf(c) === null);
  const notCheckable = leftOut.map((c) => c.id);
  const mismatches: VerificationMismatch[] = [];
  const staffMessages: string[] = [];
  const notes: string[] = [];
  const byName: Array<{ child: VerificationRecordChild; entry: (typeof unused)[number] | null }> = [];
  // Exact pairs first (name and date), then name only, so two children with the same name (twins
  // do not share one, but cousins may) pair with the right dates.
  const pending = born.filter((child) => {
    const exact = take((e) => e.name === normaliseName(recordFullName(child)) && e.dateOfBirth === child.dateOfBirth);
    return exact === null;
  });
  // An unborn child: the expected date of delivery, whatever name the requester used for the baby.
  for (const child of unborn) {
    const name = recordFullName(child);
    const entry =
      take((e) => e.name === normaliseName(name) && e.dateOfBirth === child.expectedDeliveryDate) ??
      take((e) => e.dateOfBirth === child.expectedDeliveryDate);
    if (entry) {
      notes.push(`${name} is not born yet, so the expected date of delivery was checked instead of a date of birth.`);
    } else {
      mismatches.push({ childId: child.id, problem: 'expected-delivery-date' });
      staffMessages.push(
        `${name} is not born yet: the expected date of delivery given does not match the record. If the baby has been born, add the date of birth to their record, then ask again.`,
      );
    }
  }
  for (const child of leftOut) {
    const name = recordFullName(child);
    // The requester may still have named the baby: that entry is theirs, not an unexpected child.
    take((e) => e.name === normaliseName(name));
    notes.push(
      `${name} was left out of the check: they are not born yet and their record has no expected date of delivery.`,
    );
  }
  for (const child of pending)
    byName.push({ child, entry: take((e) => e.name === normaliseName(recordFullName(child))) });
  for (const { child, entry } of byName) {
    const name = recordFullName(child);
    if (entry) {
      mismatches.push({ childId: child.id, problem: 'date-of-birth' });
      staffMessages.push(`${name}: the name matches but the date of birth given does not match the record.`);
      continue;
    }
    const byDate = take((e) => e.dateOfBirth === child.dateOfBirth);
    if (byDate) {
      mismatches.push({ childId: child.id, problem: 'name' });
      staffMessages.push(`${name}: the date of birth matches but the name given does not match the record exactly.`);
    } else {
      mismatches.push({ childId: child.id, problem: 'not-given' });
      staffMessages.push(`${name}: no matching name or date of birth was given.`);
    }
  }
  const failures: VerificationFailure[] = [];
  if (!reply.emailConfirmedSecure) {
    failures.push('email-not-confirmed');
    staffMessages.unshift('The requester did not confirm that their email address is secure.');
  }
  if (checkable.length === 0) {
    failures.push('no-checkable-child');
    staffMessages.push(
      'No child in the request has a date of birth or an expected date of delivery on record, so the reply cannot be checked. Add the date to the child’s record (the date of birth if the baby has been born), then ask again.',
    );
  }
  if (mismatches.length) failures.push('mismatch');
  if (unused.length) {
    failures.push('unexpected-child');
    staffMessages.push(
      unused.length === 1
        ? 'The reply names a child who is not in this request.'
        : `The reply names ${unused.length} children who are not in this request.`,
    );
  }
  const matched = failures.length === 0;
  return {
    matched,
    emailConfirmedSecure: reply.emailConfirmedSecure,
    failures,
    mismatches,
    unexpectedChildren: unused.length,
    notCheckable,
    notes,
    staffMessages,
    requesterMessage: matched ? REQUESTER_MATCHED_MESSAGE : REQUESTER_MISMATCH_MESSAGE,
  };
}
