/**
 * What is shown of a conference's participation (002 §3.2, 001): each child's attendance decision and whether their
 * views are recorded and checked, the friends, supporters and advocates (barred or not, an advocate's role), and each
 * parent's help and own reports. Every view is audited with the conference's id only.
 */
import { canEditChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { isSupporterKind } from '../../domain/conferences/invitees.ts';
import { presumedEligible } from '../../domain/participation/child-attendance.ts';
import { maySendParentReport } from '../../domain/participation/parent-reports.ts';
import { ageOn } from '../../domain/people/index.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { ConferenceScope } from '../conferences/conference-access.ts';
import type {
  AdvocateRoleRecord,
  BarRecord,
  ChildAttendanceRecord,
  ExclusionDetailsRecord,
  HelpRecord,
  ParentReportRecord,
} from './ports.ts';
import { type ParticipationDeps, auditConference, isChair, onConference } from './shared.ts';

export interface ParticipationChild {
  childId: string;
  name: string;
  /** Whole years on the conference date; null for an unborn child. */
  age: number | null;
  /** 002 §3.2: 12 or over on the conference date. */
  presumedEligible: boolean;
  attendance: ChildAttendanceRecord | null;
  /** Whether the child's views are on the conference's record (recorded with the meeting). */
  viewsRecorded: boolean;
}

export interface ParticipationSupporter {
  inviteeId: string;
  kind: 'friend' | 'supporter' | 'advocate';
  name: string;
  bar: BarRecord | null;
  advocateRole: (AdvocateRoleRecord & { speaksForName: string }) | null;
  /** Recorded as attending any part of the conference. */
  attended: boolean;
}

export type ParentReportView = Omit<ParentReportRecord, 'blobKey'> & { parentName: string };

export interface ParticipationParent {
  inviteeId: string;
  name: string;
  help: HelpRecord[];
  reports: ParentReportView[];
}

export interface ParticipationView {
  conference: { id: string; title: string; scheduledDate: IsoDate; status: string; chairName: string | null };
  can: { edit: boolean; chair: boolean };
  children: ParticipationChild[];
  supporters: ParticipationSupporter[];
  parents: ParticipationParent[];
  exclusions: ExclusionDetailsRecord[];
}

/** Reads the view in the caller's unit of work (the access check has passed). */
export async function readParticipation(
  { repos, conference }: ConferenceScope,
  actor: Actor,
): Promise<ParticipationView> {
  const id = conference.id;
  const [children, invitees, attendance, decisions, bars, roles, reports, help, exclusions] = [
    await repos.meeting.listChildren(id),
    await repos.meeting.listInvitees(id),
    await repos.meeting.listAttendance(id),
    await repos.participation.listChildAttendance(id),
    await repos.participation.listBars(id),
    await repos.participation.listAdvocateRoles(id),
    await repos.participation.listParentReports(id),
    await repos.participation.listHelp(id),
    await repos.participation.listExclusionDetails(id),
  ];
  let edit = true;
  for (const c of children) {
    const facts = await repos.people.childAccessFacts(c.childId);
    if (!facts || !canEditChild(actor, facts).allowed) edit = false;
  }
  const nameOf = (inviteeId: string) => invitees.find((i) => i.id === inviteeId)?.name ?? 'Someone no longer invited';
  const childName = (childId: string) => {
    const c = children.find((k) => k.childId === childId);
    return c ? `${c.givenNames} ${c.familyName}` : 'A child no longer in the conference';
  };
  return {
    conference: {
      id,
      title: CONFERENCE_TYPE_LABELS[conference.type],
      scheduledDate: conference.scheduledDate,
      status: conference.status,
      chairName: conference.chairName,
    },
    can: { edit, chair: edit && isChair(actor, conference) },
    children: children.map((c) => {
      const age = c.dateOfBirth ? ageOn(c.dateOfBirth, conference.scheduledDate) : null;
      return {
        childId: c.childId,
        name: `${c.givenNames} ${c.familyName}`,
        age,
        presumedEligible: presumedEligible(age),
        attendance: decisions.find((d) => d.childId === c.childId) ?? null,
        viewsRecorded: !!c.childViews?.trim(),
      };
    }),
    supporters: invitees
      .filter((i) => isSupporterKind(i.kind))
      .map((i) => {
        const role = roles.find((r) => r.inviteeId === i.id) ?? null;
        return {
          inviteeId: i.id,
          kind: i.kind as ParticipationSupporter['kind'],
          name: i.name,
          bar: bars.find((b) => b.inviteeId === i.id) ?? null,
          advocateRole: role
            ? {
                ...role,
                speaksForName:
                  role.speaksFor.kind === 'parent'
                    ? nameOf(role.speaksFor.inviteeId)
                    : childName(role.speaksFor.childId),
              }
            : null,
          attended: attendance.some((a) => a.inviteeId === i.id && a.status === 'attended'),
        };
      }),
    parents: invitees
      .filter((i) => maySendParentReport(i.kind))
      .map((i) => ({
        inviteeId: i.id,
        name: i.name,
        help: help.filter((h) => h.inviteeId === i.id),
        reports: reports.filter((r) => r.inviteeId === i.id).map((r) => reportView(r, i.name)),
      })),
    exclusions,
  };
}

export function reportView(r: ParentReportRecord, parentName: string): ParentReportView {
  const { blobKey: _key, ...rest } = r;
  return { ...rest, parentName };
}

export function overview(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
): Promise<ParticipationView> {
  return onConference(
    deps,
    actor,
    conferenceId,
    ctx,
    { access: 'view', action: 'participation.view' },
    async (scope) => {
      const view = await readParticipation(scope, actor);
      await auditConference(scope.repos, ctx, 'participation.view', scope.conference.id);
      return view;
    },
  );
}
