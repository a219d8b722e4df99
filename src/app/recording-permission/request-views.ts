/** A request to record as the pages and the API show it: the row, the candidates who may ask, the full detail and the letter (P-3). */
import { type Actor } from '../../domain/access/roles.ts';
import { englandDateTime } from '../../domain/calendar/england-time.ts';
import { formatLongDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import {
  ALTERNATIVE_LABELS,
  REFUSAL_GROUND_LABELS,
  REQUEST_METHOD_LABELS,
  REQUEST_STATUS_LABELS,
  UNDERTAKING_METHOD_LABELS,
  UNDERTAKING_TERMS,
  VIEW_LABELS,
  eligibilityOf,
  isDecided,
  professionalsDisagree,
  timeLeft,
} from '../../domain/recording-permission/requests.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { RECORDING_PERMISSION_LETTER, recordingPermissionLetterText } from '../documents/letter-wording.ts';
import { RECORDING_PERMISSION_DECISION_TEMPLATE } from '../mail/recording-permission-templates.ts';
import { renderMessage, templateDefinition } from '../mail/templates.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { PermissionRequestRecord } from './ports.ts';
import {
  type RecordingPermissionDeps,
  type MeetingView,
  type PermissionRequestView,
  type RequesterCandidates,
  type ProfessionalViewLine,
  type PermissionRequestDetail,
} from './use-cases.ts';
import { type Scope, auditRequest, childrenDenial, withRequest, meetingWords, canDecide } from './request-access.ts';

export function requestView(
  deps: RecordingPermissionDeps,
  r: PermissionRequestRecord,
  meeting: MeetingView,
): PermissionRequestView {
  const now = deps.clock.now();
  return {
    id: r.id,
    meeting,
    requester: {
      kind: r.requesterKind,
      name: r.requesterName,
      childId: r.requesterChildId,
      personId: r.requesterPersonId,
    },
    askedAt: r.askedAt,
    askedAtText: englandDateTime(r.askedAt),
    method: { value: r.method, label: REQUEST_METHOD_LABELS[r.method] },
    purpose: r.purpose,
    undertaking: {
      method: r.undertakingMethod,
      label: UNDERTAKING_METHOD_LABELS[r.undertakingMethod],
      signed: r.undertakingSignedAt !== null,
      signedAtText: r.undertakingSignedAt ? englandDateTime(r.undertakingSignedAt) : null,
      signedVia: r.undertakingSignedVia,
      file: r.undertakingFile ? { format: r.undertakingFile.format, size: r.undertakingFile.size } : null,
    },
    notice: { hoursBefore: r.hoursBefore, late: r.late },
    status: { value: r.status, label: REQUEST_STATUS_LABELS[r.status] },
    notEligibleReason: r.notEligibleReason,
    decision:
      r.decidedAt && (r.status === 'granted' || r.status === 'refused')
        ? {
            outcome: r.status,
            grounds: r.grounds.map((g) => ({ ...g, label: REFUSAL_GROUND_LABELS[g.ground] })),
            alternatives: r.alternatives.map((a) => ({ value: a, label: ALTERNATIVE_LABELS[a] })),
            alternativesNote: r.alternativesNote,
            reasons: r.reasons ?? '',
            decidedBy: r.decidedByName,
            decidedAtText: englandDateTime(r.decidedAt),
          }
        : null,
    confirmed: r.confirmedAt ? { atText: englandDateTime(r.confirmedAt), byEmail: r.confirmedByEmail } : null,
    timeLeft: isDecided(r.status) ? null : timeLeft(now, meeting.startsAt),
    version: r.version,
  };
}

export async function candidates(repos: Repositories, childIds: readonly string[]): Promise<RequesterCandidates> {
  const children: RequesterCandidates['children'] = [];
  const family = new Map<string, RequesterCandidates['family'][number] & { prFor: string[] }>();
  for (const childId of childIds) {
    const child = await repos.people.findChild(childId);
    if (child) children.push({ childId, name: `${child.givenNames} ${child.familyName}` });
    for (const m of await repos.people.listFamily(childId)) {
      const entry = family.get(m.person.id) ?? {
        personId: m.person.id,
        name: `${m.person.givenNames} ${m.person.familyName}`,
        relationship: m.relationship,
        hasPr: false,
        prForSome: null,
        hasEmail: Boolean(m.person.email),
        prFor: [],
      };
      if (m.parentalResponsibility) {
        entry.hasPr = true;
        entry.prFor.push(child?.givenNames ?? '');
      }
      family.set(m.person.id, entry);
    }
  }
  return {
    children,
    family: [...family.values()]
      .map(({ prFor, ...f }) => ({ ...f, prForSome: f.hasPr && prFor.length < childIds.length ? prFor : null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export async function prOf(repos: Repositories, personId: string, childIds: readonly string[]) {
  const prFor: string[] = [];
  let name: string | null = null;
  for (const childId of childIds) {
    const m = await repos.people.findFamilyMember(childId, personId);
    if (!m) continue;
    name = `${m.person.givenNames} ${m.person.familyName}`;
    if (m.parentalResponsibility) prFor.push(childId);
  }
  return { name, prFor };
}

export async function detail(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  ctx: RequestContext,
): Promise<PermissionRequestDetail> {
  return withRequest(deps, actor, requestId, 'view', 'recording-permission.request.view', ctx, async (scope, r) => {
    await auditRequest(scope.repos, ctx, 'recording-permission.request.view', {
      type: 'recording-permission-request',
      id: r.id,
    });
    return detailOf(deps, actor, scope, r);
  });
}

export async function detailOf(
  deps: RecordingPermissionDeps,
  actor: Actor,
  scope: Scope,
  r: PermissionRequestRecord,
): Promise<PermissionRequestDetail> {
  const { repos } = scope;
  const professionals: ProfessionalViewLine[] = [];
  if (r.conferenceId) {
    const views = await repos.recordingPermission.listViews(r.id);
    for (const i of await repos.meeting.listInvitees(r.conferenceId)) {
      if (i.kind !== 'professional') continue;
      const v = views.find((x) => x.inviteeId === i.id);
      professionals.push({
        inviteeId: i.id,
        name: i.name,
        agency: i.agencyName,
        view: v ? { value: v.view, label: VIEW_LABELS[v.view] } : null,
        reason: v?.reason ?? null,
      });
    }
  }
  let childrenWithoutPr: string[] = [];
  let requesterEmail = false;
  if (r.requesterKind === 'family' && r.requesterPersonId) {
    const pr = await prOf(repos, r.requesterPersonId, scope.childIds);
    const e = eligibilityOf(
      { kind: 'family', personId: r.requesterPersonId, name: r.requesterName, prFor: pr.prFor },
      scope.childIds,
    );
    if (e.eligible)
      for (const id of e.childrenWithoutPr) {
        const c = await repos.people.findChild(id);
        if (c) childrenWithoutPr.push(c.givenNames);
      }
    requesterEmail = Boolean((await repos.people.findPerson(r.requesterPersonId))?.email);
  } else childrenWithoutPr = [];
  const view = requestView(deps, r, scope.meeting);
  const editFacts = await childrenDenial(repos, actor, scope.childIds, 'edit');
  const latest = await repos.recordingPermission.latestLink(r.id);
  const now = deps.clock.now();
  return {
    request: view,
    decisionMaker: { name: scope.decider.name, role: scope.decider.role },
    professionals,
    disagreement: professionalsDisagree(professionals.flatMap((p) => (p.view ? [{ view: p.view.value }] : []))),
    childrenWithoutPr,
    requesterEmail,
    terms: UNDERTAKING_TERMS,
    link: latest
      ? {
          sentAtText: englandDateTime(latest.createdAt),
          expiresAtText: englandDateTime(latest.expiresAt),
          state: latest.confirmedAt
            ? 'confirmed'
            : latest.revokedAt
              ? 'revoked'
              : latest.expiresAt.getTime() <= now.getTime()
                ? 'expired'
                : 'active',
        }
      : null,
    letter: isDecided(r.status) ? await decisionLetter(deps, repos, r, scope.meeting) : null,
    can: {
      decide: r.status === 'awaiting-decision' || r.status === 'awaiting-undertaking' ? canDecide(actor, scope) : false,
      edit: editFacts === null && !isDecided(r.status),
      confirm: editFacts === null && isDecided(r.status) && r.confirmedAt === null,
      sendLink: editFacts === null && r.status === 'awaiting-undertaking' && requesterEmail,
    },
  };
}

/** P-3: the letter confirming the decision, in the wording administrators set for it (apart from the email's). */
export async function decisionLetter(
  deps: RecordingPermissionDeps,
  repos: Repositories,
  r: PermissionRequestRecord,
  meeting: MeetingView,
) {
  const def = templateDefinition(RECORDING_PERMISSION_DECISION_TEMPLATE)!;
  const stored = await repos.messageTemplates.get(def.key);
  const wording = stored ?? { subject: def.defaultSubject, body: def.defaultBody };
  const values = { ...decisionValues(r, meeting), council_name: deps.councilName };
  // The subject is the email's; the letter's wording is edited apart from the email's (the letters' wording).
  const rendered = renderMessage(def, wording, values);
  const letterBody = recordingPermissionLetterText(
    await repos.messageTemplates.get(RECORDING_PERMISSION_LETTER),
    values,
  );
  // The letter is addressed as any other: the requester's name and address on the record, and the date.
  const address =
    r.requesterPersonId !== null
      ? ((await repos.people.findPerson(r.requesterPersonId))?.address ?? null)
      : r.requesterChildId !== null
        ? ((await repos.people.findChild(r.requesterChildId))?.address ?? null)
        : null;
  return {
    subject: rendered.subject,
    body: letterBody,
    recipientLines: [
      r.requesterName,
      ...(address ?? '')
        .split(/\r?\n|,\s*/)
        .map((l) => l.trim())
        .filter(Boolean),
    ],
    dateLine: formatLongDate(londonDateOf(r.confirmedAt ?? deps.clock.now())),
  };
}

export function decisionValues(r: PermissionRequestRecord, meeting: MeetingView): Record<string, string> {
  const limits = UNDERTAKING_TERMS.map((t) => `- ${t}`).join('\n');
  if (r.status === 'granted')
    return {
      requester_name: r.requesterName,
      meeting: meetingWords(meeting),
      decision: 'You may record the meeting.',
      reasons: r.reasons ?? '',
      next_steps: `On the day, before the meeting starts, you must ask everyone there whether they agree to it being recorded. If anyone does not agree, you will be told why, and the meeting will go ahead without the recording.\n\nYou agreed that:\n${limits}`,
    };
  if (r.status === 'refused')
    return {
      requester_name: r.requesterName,
      meeting: meetingWords(meeting),
      decision: 'We cannot agree to the meeting being recorded.',
      reasons: [r.reasons ?? '', ...r.grounds.map((g) => `- ${REFUSAL_GROUND_LABELS[g.ground]}`)].join('\n'),
      next_steps: `So that you still have what you need from the meeting, we can offer:\n${[
        ...r.alternatives.filter((a) => a !== 'other').map((a) => `- ${ALTERNATIVE_LABELS[a]}`),
        ...(r.alternativesNote ? [`- ${r.alternativesNote}`] : []),
      ].join('\n')}`,
    };
  return {
    requester_name: r.requesterName,
    meeting: meetingWords(meeting),
    decision: 'We cannot agree to the meeting being recorded.',
    reasons: r.notEligibleReason ?? '',
    next_steps: 'If you think we have got this wrong, please contact the social worker.',
  };
}
