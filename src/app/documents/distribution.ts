/**
 * Who gets what (W-4; 002 §3.2, §3.10), over the unit of work: a document's distribution list from the
 * conference's register, the draft's choices (the children the chair chose, arrangements), what agencies said
 * about their involvement and the changes made by hand; recording a change by hand (with its reason, refused
 * once the document is issued) and an agency's "no current or planned involvement". Issuing sends a copy to
 * each included entry. The DocumentService runs these inside its access checks and audits them.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, isIsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import {
  type DistributionEntry,
  type OverrideAction,
  checkNoInvolvementNote,
  checkOverride,
  distributionList,
} from '../../domain/documents/distribution.ts';
import type { DocumentFacts } from '../../domain/documents/facts.ts';
import { DomainError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import { keptOnFileOnly } from '../../domain/settings/council-settings.ts';
import { readCouncilSettings } from '../settings/council-settings-service.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { DraftRecord } from './documents-ports.ts';
import type { DistributionView } from './use-cases.ts';
import { documentLabel } from './views.ts';

/** The issue the draft's next issue takes (1 for the first); the same count issuing makes. */
async function nextIssueNumber(repos: Repositories, draft: Pick<DraftRecord, 'id' | 'conferenceId'>): Promise<number> {
  const issued = (await repos.documents.listIssued(draft.conferenceId)).filter((i) => i.draftId === draft.id);
  return issued.reduce((max, i) => Math.max(max, i.issueNumber), 0) + 1;
}

/** The draft's distribution list as it stands. */
export async function distributionFor(
  repos: Repositories,
  draft: Pick<
    DraftRecord,
    'id' | 'conferenceId' | 'kind' | 'childRecipientInviteeIds' | 'subjectInviteeId' | 'arrangements'
  >,
  facts: DocumentFacts,
  options: { distributeFullRecord?: boolean } = {},
): Promise<DistributionEntry[]> {
  const [overrides, none] = await Promise.all([
    repos.distribution.listOverrides(draft.id),
    repos.distribution.listNoInvolvement(draft.conferenceId),
  ]);
  return distributionList({
    kind: draft.kind,
    attendees: facts.attendees,
    plans: facts.plans,
    childRecipientInviteeIds: draft.childRecipientInviteeIds,
    subjectInviteeId: draft.subjectInviteeId,
    arrangements: draft.arrangements,
    noInvolvement: new Map(none.map((n) => [n.inviteeId, { saidOn: n.saidOn, note: n.note }])),
    overrides: overrides.map((o) => ({
      inviteeId: o.inviteeId,
      action: o.action,
      reason: o.reason,
      byName: o.byName,
      at: o.at,
    })),
    ...(options.distributeFullRecord === undefined ? {} : { distributeFullRecord: options.distributeFullRecord }),
  });
}

/**
 * The list under the council's setting as issuing reads it: under "decisions and recommendations only" (003) the
 * conference record goes to the children's file alone.
 */
async function currentDistribution(repos: Repositories, draft: DraftRecord, facts: DocumentFacts) {
  const fileOnly = keptOnFileOnly(draft.kind, await readCouncilSettings(repos));
  return distributionFor(repos, draft, facts, { distributeFullRecord: !fileOnly });
}

/** The distribution page's view: the list, the agencies with what they said, and what the caller may change. */
export async function distributionView(
  repos: Repositories,
  draft: DraftRecord,
  facts: DocumentFacts,
  mayChange: boolean,
): Promise<DistributionView> {
  const entries = await currentDistribution(repos, draft, facts);
  const none = await repos.distribution.listNoInvolvement(draft.conferenceId);
  const issued = draft.status === 'issued';
  return {
    conferenceId: draft.conferenceId,
    draftId: draft.id,
    kind: draft.kind,
    label: documentLabel(draft, facts.attendees),
    status: draft.status,
    issueNumber: issued ? (await nextIssueNumber(repos, draft)) - 1 : await nextIssueNumber(repos, draft),
    entries,
    agencies: facts.attendees
      .filter((a) => a.kind === 'professional')
      .map((a) => {
        const said = none.find((n) => n.inviteeId === a.inviteeId);
        return {
          inviteeId: a.inviteeId,
          name: a.name,
          agency: a.agencyName,
          noInvolvement: said
            ? { saidOn: said.saidOn, note: said.note, byName: said.byName, recordedAt: said.recordedAt }
            : null,
        };
      }),
    can: { change: mayChange && !issued, recordInvolvement: mayChange },
  };
}

/**
 * Records a recipient added or removed by hand with its reason (W-4). Refused once the document is issued for
 * this issue (DRAFT_STATE); InvalidDetailsError without a reason, for someone not on the register, a friend,
 * supporter, advocate or interpreter added, or a change that changes nothing.
 */
export async function recordOverride(
  repos: Repositories,
  actor: Actor,
  now: Date,
  draft: DraftRecord,
  facts: DocumentFacts,
  input: { inviteeId: string; action: OverrideAction; reason: string },
): Promise<{ issueNumber: number; inviteeId: string; action: OverrideAction }> {
  if (draft.status === 'issued')
    throw new DomainError(
      'DRAFT_STATE',
      'This document has been issued: who received it can no longer be changed for this issue',
    );
  if (input.action !== 'add' && input.action !== 'remove')
    throw new InvalidDetailsError([{ field: 'action', message: 'Select whether to add or remove them' }]);
  const list = await currentDistribution(repos, draft, facts);
  const inviteeId = typeof input.inviteeId === 'string' ? input.inviteeId.toLowerCase() : '';
  const reason = checkOverride(list, draft.kind, inviteeId, input.action, input.reason);
  const issueNumber = await nextIssueNumber(repos, draft);
  await repos.distribution.insertOverride({
    draftId: draft.id,
    conferenceId: draft.conferenceId,
    inviteeId,
    issueNumber,
    action: input.action,
    reason,
    byUserId: actor.id,
    at: now,
  });
  return { issueNumber, inviteeId, action: input.action };
}

/**
 * Records (or, with `saidOn` null, withdraws) that a professional's agency said it has no current or planned
 * involvement (W-4): the date it was said and an optional note. NotFoundError when the invitee is not a
 * professional invited to the conference.
 */
export async function recordNoInvolvement(
  repos: Repositories,
  actor: Actor,
  now: Date,
  conferenceId: string,
  inviteeId: string,
  input: { saidOn: string | null; note: string | null },
): Promise<{ recorded: boolean }> {
  const id = typeof inviteeId === 'string' ? inviteeId.toLowerCase() : '';
  let value: { saidOn: IsoDate; note: string | null; byUserId: string; at: Date } | null = null;
  if (input.saidOn !== null) {
    if (typeof input.saidOn !== 'string' || !isIsoDate(input.saidOn))
      throw new InvalidDetailsError([
        { field: 'saidOn', message: 'Enter the date the agency said so, as a real date' },
      ]);
    if (input.saidOn > londonDateOf(now))
      throw new InvalidDetailsError([
        { field: 'saidOn', message: 'The date the agency said so must be today or before' },
      ]);
    value = { saidOn: input.saidOn, note: checkNoInvolvementNote(input.note), byUserId: actor.id, at: now };
  }
  const ok = /^[0-9a-f-]{36}$/.test(id) && (await repos.distribution.setNoInvolvement(conferenceId, id, value));
  if (!ok) throw new NotFoundError('The agency’s invitation');
  return { recorded: value !== null };
}
