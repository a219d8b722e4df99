/**
 * Who gets what (W-4; 002 §3.2, §3.10): the distribution list of one document, everyone on the conference's
 * register with whether they receive it and why, in plain English. The rules: every agency and parent invited
 * receives it whether or not they came, except an agency that said it has no current or planned involvement; a
 * family member invited receives a parent's copy, with or without parental responsibility; friends, supporters,
 * advocates and interpreters never do; a child only when the chair decides; a parent excluded from the conference
 * receives the parent's copy without what the chair marked for an excluded parent; the core group receives the
 * plan and core group letter whatever else; the children's file always keeps the full record. The chair or
 * business support may add someone the rules left out (never a friend, supporter, advocate or interpreter) or
 * remove someone, each with a recorded reason. The chair's decision on an amendment request (W-5) goes only to the
 * person who asked, their copy by their role, and to nobody else, the children's file included: the request keeps
 * it. Issuing sends a copy to each included entry. Pure: no I/O.
 */
import { type IsoDate, formatLongDate } from '../calendar/index.ts';
import type { AttendanceStatus } from '../conferences/attendance.ts';
import { INVITEE_KIND_LABELS, type InviteeKind, isSupporterKind } from '../conferences/invitees.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import type { RecipientArrangement } from './arrangements.ts';
import type { AttendeeFacts, PlanFacts } from './facts.ts';
import type { DocumentKind } from './model.ts';
import { FILE_COPY_NAME } from './recipients.ts';
import type { Recipient } from './withholding.ts';

export const OVERRIDE_ACTIONS = ['add', 'remove'] as const;
export type OverrideAction = (typeof OVERRIDE_ACTIONS)[number];

export const OVERRIDE_REASON_MAX_LENGTH = 1_000;
export const NO_INVOLVEMENT_NOTE_MAX_LENGTH = 1_000;

/** W-4: an agency said it has no current or planned involvement with the children; it is not sent the record. */
export interface NoInvolvement {
  /** When the agency said so. */
  saidOn: IsoDate;
  note: string | null;
}

/** A recipient added or removed by hand, with the reason recorded. The latest one for a person applies. */
export interface DistributionOverride {
  inviteeId: string;
  action: OverrideAction;
  reason: string;
  /** Who made it, by name; null when no name is recorded. */
  byName: string | null;
  at: Date;
}

export interface DistributionEntry {
  /** The conference invitee; null for the children's file. */
  inviteeId: string | null;
  name: string;
  /** "Mother of Sam (parental responsibility)", "Class teacher", "Children's file". */
  role: string;
  agency: string | null;
  /** The invitee's kind; null for the children's file. */
  kind: InviteeKind | null;
  included: boolean;
  /** Why they are on the list or not, in plain English. */
  reason: string;
  /** Which copy they receive when included (W-3). */
  copy: Recipient;
  /** W-4: large print was arranged for them. */
  largePrint: boolean;
  /** The hand-made change that decided this entry, or null when the rules did. */
  override: { action: OverrideAction; by: string | null; at: Date; reason: string } | null;
}

export interface DistributionInput {
  kind: DocumentKind;
  attendees: readonly AttendeeFacts[];
  plans: readonly PlanFacts[];
  /** The children the chair decided receive their own copy (W-1, W-4). */
  childRecipientInviteeIds: readonly string[];
  /** An exclusion letter's excluded person; an amendment decision letter's requester. */
  subjectInviteeId: string | null;
  arrangements: readonly RecipientArrangement[];
  /** Agencies' invitations that said "no current or planned involvement", by invitee id. */
  noInvolvement: ReadonlyMap<string, NoInvolvement>;
  /** Oldest first: the latest for a person applies. */
  overrides: readonly DistributionOverride[];
  /**
   * False when the council keeps the full conference record on the children's file only (003, decisions and
   * recommendations only). Omitted: the record is distributed.
   */
  distributeFullRecord?: boolean;
}

interface Decided {
  included: boolean;
  reason: string;
}

function attendancePhrase(status: AttendanceStatus): string {
  switch (status) {
    case 'attended':
      return 'attended';
    case 'apologies':
      return 'sent apologies';
    case 'absent':
      return 'did not attend';
    case 'excluded':
      return 'was excluded';
    case 'invited':
      return 'attendance not recorded';
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'An' : 'A';
}

function copyFor(a: AttendeeFacts): Recipient {
  const person = { id: a.inviteeId, name: a.name };
  if (a.kind === 'family-member') return { kind: 'parent', person };
  if (a.kind === 'child') return { kind: 'child', person };
  return { kind: 'full' };
}

/** What the rules decide for one person on the register, before any hand-made change. */
function byRules(a: AttendeeFacts, input: DistributionInput, coreGroup: ReadonlySet<string>): Decided {
  const kindLabel = INVITEE_KIND_LABELS[a.kind].toLowerCase();
  if (input.kind === 'exclusion-letter') {
    return a.inviteeId === input.subjectInviteeId
      ? { included: true, reason: 'Excluded from the conference: the letter explains why to them' }
      : { included: false, reason: 'An exclusion letter goes only to the person excluded' };
  }
  if (input.kind === 'amendment-decision-letter') {
    return a.inviteeId === input.subjectInviteeId
      ? { included: true, reason: 'Asked for the record to be amended: the letter gives them the chair’s decision' }
      : { included: false, reason: 'The chair’s decision on an amendment request goes only to the person who asked' };
  }
  if (isSupporterKind(a.kind))
    return {
      included: false,
      reason: `${article(kindLabel)} ${kindLabel} helps someone take part and never receives the record`,
    };
  if (a.kind === 'interpreter')
    return {
      included: false,
      reason: 'An interpreter interprets for someone else and never receives the record',
    };
  if (input.kind === 'plan-and-core-group-letter' && coreGroup.has(a.inviteeId))
    return {
      included: true,
      reason: 'Core group member: receives the plan and core group letter before the first core group',
    };
  if (input.kind === 'conference-record' && input.distributeFullRecord === false)
    return {
      included: false,
      reason: "The council keeps the full record on the children's file only: decisions and recommendations go out",
    };
  switch (a.kind) {
    case 'child':
      return input.childRecipientInviteeIds.includes(a.inviteeId)
        ? { included: true, reason: 'The chair decided this child should receive their own copy (W-1, W-4)' }
        : {
            included: false,
            reason: 'A child receives their own copy only when the chair decides so; the chair has not',
          };
    case 'family-member': {
      if (a.exclusion)
        return {
          included: true,
          reason:
            "Excluded from the conference: receives what the chair agreed, the parent's copy without what is marked for an excluded parent",
        };
      const came = attendancePhrase(a.attendance);
      return a.parentalResponsibility
        ? { included: true, reason: `Invited parent with parental responsibility; ${came}` }
        : {
            included: true,
            reason: `Invited family member without parental responsibility: a family member invited receives a parent's copy; ${came}`,
          };
    }
    case 'professional': {
      const none = input.noInvolvement.get(a.inviteeId);
      if (none)
        return {
          included: false,
          reason: `The agency said on ${formatLongDate(none.saidOn)} it has no current or planned involvement, so it is not sent the record${none.note ? `: ${none.note}` : ''}`,
        };
      return {
        included: true,
        reason: `Invited agency${a.agencyName ? ` (${a.agencyName})` : ''}: receives the full record whether or not present; ${attendancePhrase(a.attendance)}`,
      };
    }
    default:
      return { included: false, reason: 'Not someone the record is sent to' };
  }
}

/** The distribution list of one document: the children's file first, then everyone on the register. */
export function distributionList(input: DistributionInput): DistributionEntry[] {
  const coreGroup = new Set(input.plans.flatMap((p) => p.coreGroup.map((m) => m.inviteeId)));
  const latest = new Map<string, DistributionOverride>();
  for (const o of input.overrides) latest.set(o.inviteeId, o);
  const answer = input.kind === 'amendment-decision-letter';
  const file: DistributionEntry = {
    inviteeId: null,
    name: FILE_COPY_NAME,
    role: "The children's file",
    agency: null,
    kind: null,
    included: true,
    reason: answer
      ? "The children's file keeps the chair’s answer to every amendment request"
      : "The children's file always keeps the full record",
    copy: { kind: 'full' },
    largePrint: false,
    override: null,
  };
  const entries = input.attendees.map((a): DistributionEntry => {
    const ruled = byRules(a, input, coreGroup);
    const o = latest.get(a.inviteeId);
    const decided = o
      ? {
          included: o.action === 'add',
          reason: `${o.action === 'add' ? 'Added' : 'Removed'} by ${o.byName ?? 'a member of staff'}: ${o.reason}`,
        }
      : ruled;
    const arrangement = input.arrangements.find((x) => x.inviteeId === a.inviteeId);
    return {
      inviteeId: a.inviteeId,
      name: a.name,
      role: a.role,
      agency: a.agencyName,
      kind: a.kind,
      included: decided.included,
      reason: decided.reason,
      copy: copyFor(a),
      largePrint: arrangement?.kinds.includes('large-print') ?? false,
      override: o ? { action: o.action, by: o.byName, at: o.at, reason: o.reason } : null,
    };
  });
  return [file, ...entries];
}

/** The included entries: who issuing makes a copy for. */
export function includedRecipients(list: readonly DistributionEntry[]): DistributionEntry[] {
  return list.filter((e) => e.included);
}

/**
 * Checks a hand-made change before it is recorded: the reason is required, a friend, supporter, advocate or
 * interpreter is never added (W-4), the file copy stays, and the change must change something. Returns the
 * trimmed reason; InvalidDetailsError otherwise.
 */
export function checkOverride(
  list: readonly DistributionEntry[],
  documentKind: DocumentKind,
  inviteeId: string,
  action: OverrideAction,
  reason: unknown,
): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (!text)
    throw new InvalidDetailsError([
      {
        field: 'reason',
        message: action === 'add' ? 'Enter why they should receive it' : 'Enter why they should not receive it',
      },
    ]);
  if (text.length > OVERRIDE_REASON_MAX_LENGTH)
    throw new InvalidDetailsError([
      { field: 'reason', message: `The reason must be ${OVERRIDE_REASON_MAX_LENGTH} characters or fewer` },
    ]);
  const entry = list.find((e) => e.inviteeId !== null && e.inviteeId === inviteeId);
  if (!entry || entry.kind === null)
    throw new InvalidDetailsError([{ field: 'inviteeId', message: 'Select someone on the conference’s register' }]);
  if (action === 'add') {
    if (isSupporterKind(entry.kind) || entry.kind === 'interpreter')
      throw new InvalidDetailsError([
        {
          field: 'inviteeId',
          message: `${entry.name} is ${article(INVITEE_KIND_LABELS[entry.kind]).toLowerCase()} ${INVITEE_KIND_LABELS[entry.kind].toLowerCase()}: friends, supporters, advocates and interpreters never receive the record`,
        },
      ]);
    if (documentKind === 'exclusion-letter')
      throw new InvalidDetailsError([
        { field: 'inviteeId', message: 'An exclusion letter goes only to the person excluded' },
      ]);
    if (documentKind === 'amendment-decision-letter')
      throw new InvalidDetailsError([
        {
          field: 'inviteeId',
          message: 'The chair’s decision on an amendment request goes only to the person who asked',
        },
      ]);
    if (entry.included)
      throw new InvalidDetailsError([{ field: 'inviteeId', message: `${entry.name} already receives it` }]);
  } else if (!entry.included) {
    throw new InvalidDetailsError([{ field: 'inviteeId', message: `${entry.name} does not receive it` }]);
  }
  return text;
}

/** Checks what an agency said about its involvement: the date it was said, and an optional note. */
export function checkNoInvolvementNote(note: unknown): string | null {
  const text = typeof note === 'string' ? note.trim() : '';
  if (text.length > NO_INVOLVEMENT_NOTE_MAX_LENGTH)
    throw new InvalidDetailsError([
      { field: 'note', message: `The note must be ${NO_INVOLVEMENT_NOTE_MAX_LENGTH} characters or fewer` },
    ]);
  return text || null;
}
