import { describe, expect, it } from 'vitest';
import {
  actionsStillToConsider,
  canViewIncidentsAbout,
  checkCovertAction,
  checkCovertClosing,
  checkCovertDiscovery,
  checkUnpermittedRecording,
  mayDecideCovert,
  mayRecordUnpermitted,
  mayReportCovert,
  mayViewCovert,
} from './incidents.ts';
import { canViewChild } from '../access/child-access.ts';
import { type Actor, ROLES, ROLE_LABELS, type Role } from '../access/roles.ts';

const actor = (...roles: Role[]): Actor => ({ id: 'a', name: 'A', roles });
const day = { date: '2026-03-02', today: '2026-03-02', nowMinutes: 11 * 60 };
const steps = {
  personInviteeId: 'p1',
  personDescription: null,
  askedToStopAt: '10:20',
  meetingHaltedAt: '',
  askedToLeaveAt: '',
  outcome: 'stopped',
  outcomeAt: '10:22',
  notes: '',
};
const fields = (p: Array<{ field: string }>) => p.map((x) => x.field);

describe('P-8: recording against the parents’ wishes', () => {
  it('P-8: asked to stop, then stopped, is enough; times are read as people type them', () => {
    const { problems, checked } = checkUnpermittedRecording({ ...steps, askedToStopAt: '10.20am' }, day, ['p1']);
    expect(problems).toEqual([]);
    expect(checked).toMatchObject({ askedToStopAt: '10:20', meetingHaltedAt: null, outcome: 'stopped', notes: null });
  });

  it('P-8: leaving needs the meeting halted and the person asked to leave, in that order', () => {
    const { problems } = checkUnpermittedRecording({ ...steps, outcome: 'left' }, day, ['p1']);
    expect(fields(problems)).toEqual(['askedToLeaveAt']);
    const halted = checkUnpermittedRecording({ ...steps, askedToLeaveAt: '10:21' }, day, ['p1']);
    expect(halted.problems).toEqual([
      {
        field: 'meetingHaltedAt',
        message: 'Enter the time the meeting was halted: the meeting is halted before someone is asked to leave',
      },
    ]);
    const adjourned = checkUnpermittedRecording({ ...steps, outcome: 'adjourned' }, day, ['p1']);
    expect(fields(adjourned.problems)).toEqual(['meetingHaltedAt']);
  });

  it('P-8: no time later than now on the day, none before the step it follows, no record before the day', () => {
    const late = checkUnpermittedRecording({ ...steps, outcomeAt: '11:01' }, day, ['p1']);
    expect(late.problems[0]!.message).toBe('The time it ended must not be in the future');
    const early = checkUnpermittedRecording({ ...steps, outcomeAt: '10:19' }, day, ['p1']);
    expect(early.problems[0]!.message).toBe(
      'The time it ended must be the same as or after the time they were asked to stop',
    );
    const before = checkUnpermittedRecording(steps, { ...day, date: '2026-03-03' }, ['p1']);
    expect(before.problems[0]!.message).toBe('This can be recorded on or after the day of the conference');
    // A later day: any time of the day of the meeting is in the past.
    expect(
      checkUnpermittedRecording({ ...steps, outcomeAt: '23:00' }, { ...day, today: '2026-03-03' }, ['p1']).problems,
    ).toEqual([]);
  });

  it('P-8: the person is on the register, or described', () => {
    expect(fields(checkUnpermittedRecording(steps, day, []).problems)).toEqual(['person']);
    expect(
      fields(checkUnpermittedRecording({ ...steps, personInviteeId: null, personDescription: ' ' }, day, []).problems),
    ).toEqual(['personDescription']);
  });
});

describe('P-9: covert recording', () => {
  const input = {
    childIds: ['c1'],
    foundOn: '2026-03-04',
    foundBy: 'The school',
    howFound: 'Heard it played',
    published: 'no',
    publishedWhere: 'ignored',
    publishedOn: '2026-03-03',
    takenDown: 'yes',
    takenDownOn: '2026-03-04',
  };

  it('P-9: publication details are kept only when it was published; taken down on or after it was published', () => {
    const unpublished = checkCovertDiscovery(input, '2026-03-02', '2026-03-05', ['c1']);
    expect(unpublished.problems).toEqual([]);
    expect(unpublished.checked).toMatchObject({ publishedWhere: null, publishedOn: null, takenDown: null });
    const published = checkCovertDiscovery(
      { ...input, published: 'yes', publishedOn: '2026-03-04', takenDownOn: '2026-03-03' },
      '2026-03-02',
      '2026-03-05',
      ['c1'],
    );
    expect(published.problems).toEqual([
      { field: 'takenDownOn', message: 'The date it was taken down must be on or after the date it was published' },
    ]);
  });

  it('P-9: an action decided against needs the reason; "something else" needs describing', () => {
    const { problems } = checkCovertAction(
      { action: 'other', description: '', decision: 'not-taken', on: '2026-03-03', by: 'Cal', outcome: '' },
      '2026-03-04',
      '2026-03-05',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'Describe the action',
      'The date must be on or after the date the recording was found',
      'Enter why it was decided against',
    ]);
  });

  it('P-9: the network and legal services are always considered before closing; legal advice too once published', () => {
    expect(actionsStillToConsider('no', ['inform-network'])).toEqual(['inform-legal']);
    expect(actionsStillToConsider('yes', ['inform-network', 'inform-legal'])).toEqual(['legal-advice']);
    const problems = checkCovertClosing(
      { outcome: 'Done', closedOn: '2026-03-04' },
      {
        foundOn: '2026-03-04',
        published: 'no',
        actions: [
          { action: 'inform-network', on: '2026-03-05' },
          { action: 'inform-legal', on: '2026-03-04' },
        ],
      },
      '2026-03-05',
    );
    expect(problems).toEqual([
      {
        field: 'closedOn',
        message: 'The date it closed must be on or after the date it was found and every action’s date',
      },
    ]);
  });

  it('P-8, P-9: the chair records and decides; business support and social workers report; managers view', () => {
    expect(mayRecordUnpermitted(actor('chair'))).toBe(true);
    expect(mayRecordUnpermitted(actor('business_support'))).toBe(false);
    expect(mayReportCovert(actor('social_worker'))).toBe(true);
    expect(mayReportCovert(actor('qa_manager'))).toBe(false);
    expect(mayViewCovert(actor('team_manager'))).toBe(true);
    expect(mayViewCovert(actor('business_support'))).toBe(false);
    expect(mayDecideCovert(actor('team_manager'))).toBe(false);
  });

  it('P-9: incidents are seen by the chair, the team manager and legal advisers only: the role matrix', () => {
    const matrix = Object.fromEntries(
      ROLES.map((r) => [r, [mayViewCovert(actor(r)), mayReportCovert(actor(r)), mayDecideCovert(actor(r))]]),
    );
    // [view, report, decide]
    expect(matrix).toEqual({
      chair: [true, true, true],
      business_support: [false, true, false],
      social_worker: [false, true, false],
      team_manager: [true, false, false],
      qa_manager: [false, false, false],
      access_to_records: [false, false, false],
      admin: [false, false, false],
      auditor: [false, false, false],
      legal_adviser: [true, false, false],
    });
    expect(ROLE_LABELS.legal_adviser).toBe('Legal adviser');
  });

  it('P-9: a legal adviser sees incidents about any unrestricted child, a restricted one only when named, and no child record', () => {
    const legal: Actor = { id: 'l', name: 'L', roles: ['legal_adviser'] };
    const open = { allocatedSocialWorkerId: 'sw', restricted: false, namedStaffIds: [] };
    const restricted = { ...open, restricted: true };
    expect(canViewIncidentsAbout(legal, open)).toEqual({ allowed: true });
    expect(canViewChild(legal, open).allowed).toBe(false);
    expect(canViewIncidentsAbout(legal, restricted)).toEqual({
      allowed: false,
      reason: 'restricted record: not named on it',
    });
    expect(canViewIncidentsAbout(legal, { ...restricted, namedStaffIds: ['l'] })).toEqual({ allowed: true });
    // Team managers and chairs by the child record rules; anyone else by role.
    expect(canViewIncidentsAbout(actor('team_manager'), restricted).allowed).toBe(false);
    expect(canViewIncidentsAbout(actor('team_manager'), open).allowed).toBe(true);
    expect(canViewIncidentsAbout(actor('qa_manager'), open)).toEqual({
      allowed: false,
      reason: 'not a chair, team manager or legal adviser',
    });
    expect(canViewIncidentsAbout({ id: 'sw', name: 'S', roles: ['social_worker'] }, open).allowed).toBe(false);
  });
});
