/**
 * 002 §4.1 beyond the meeting: the recording permission decision (P-6), recording someone recording against the
 * parents' wishes (P-8), covert recording incidents (P-9) and approving the written record (W-5) are the conference's
 * assigned chair's or the recorded cover chair's; another chair is refused (NotTheChairError, naming the chair) and the
 * refusal audited. While cover is recorded, the chair's emails go to the cover chair as well (P-9, T-11). A request
 * for a copy (A-2, A-3) is the chair the requester asked, whoever chairs the conference.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { londonDateOf } from '../../../domain/calendar/index.ts';
import { NotTheChairError } from '../../../domain/conferences/chair-cover.ts';
import { covertRecordingReminders } from '../../../infra/db/recording-incidents-schema.ts';
import { readOutbox } from '../../../infra/mail/test-support.ts';
import { siblingGroupConference } from '../../../../test/support/conferences.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { insertStoredRecordingRow } from '../../../../test/support/recordings.ts';
import { as, covertDiscovery } from '../../../../test/support/recording-to-record.ts';
import { LETTER_REASONS, issuedDecisionLetter } from '../../../../test/support/sending.ts';
import { heldConferenceForRecord } from '../../../../test/support/written-record.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';

const PDF = new TextEncoder().encode('%PDF-1.7\nsigned notice of intent\n%%EOF\n');
const REFUSED = 'Only the conference chair (Cal Chair) or a cover chair recorded for them can do this';

describe.each(testDatabases())('the cover chair in permission, incidents and the written record (%s)', (kind) => {
  let ctx: TestContext;
  let sw: Actor;
  let chair: Actor;
  let cover: Actor;
  let third: Actor;
  let manager: Actor;
  let support: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    cover = await staff(ctx, 'Omar Cover', ['chair']);
    third = await staff(ctx, 'Thea Third', ['chair']);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /**
   * The shared set-up: at `now`, a conference of Cal Chair's made by `make` (the Okafor-style sibling group by
   * default), with Omar Cover recorded as cover chair for them by a team manager.
   */
  async function covered<G extends { conferenceId: string }>(now: string, make: () => Promise<G>): Promise<G> {
    ctx.clock.current = new Date(now);
    const made = await make();
    await ctx.services.chairing.recordCover(
      manager,
      made.conferenceId,
      { coverChairUserId: cover.id, reason: 'Cal Chair is on leave' },
      as(manager),
    );
    return made;
  }
  const siblings = (familyName: string, status?: 'held') => () =>
    siblingGroupConference(ctx, { socialWorker: sw, chair, familyName, ...(status ? { status } : {}) });

  /** `p` by Thea Third is refused, naming the assigned chair, and the refusal of `action` is audited once. */
  async function refusedToThird(p: Promise<unknown>, action: string): Promise<NotTheChairError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotTheChairError);
    expect((err as NotTheChairError).message).toBe(REFUSED);
    const denied = (await auditRows(ctx, action)).filter((a) => a.outcome === 'denied' && a.actorUserId === third.id);
    expect(denied.map((a) => a.details)).toEqual([{ reason: 'not the conference chair' }]);
    return err as NotTheChairError;
  }

  /** A request by the mother to record the conference, asked on `askedOn` at `askedAtTime`. */
  const requestToRecord = (conferenceId: string, motherId: string, askedOn: string, askedAtTime: string) =>
    ctx.services.recordingPermission.record(
      support,
      { conferenceId },
      {
        requester: { kind: 'family', personId: motherId },
        askedOn,
        askedAtTime,
        method: 'phone',
        purpose: 'She finds it hard to remember what is said when she is stressed.',
        undertaking: 'upload',
        file: PDF,
      },
      as(support),
    );

  /** Who the emails of `template` that mention `marker` went to (queued in the same instant: sorted). */
  const sentTo = async (template: string, marker: string) =>
    (await readOutbox(ctx.services.database, { template }))
      .filter((m) => m.body.includes(marker))
      .map((m) => m.to)
      .sort();

  it('P-6: the cover chair decides a request to record the conference; a third chair is refused, naming the chair, and audited', async () => {
    const g = await covered('2026-02-20T10:00:00Z', siblings('Ellis'));
    const service = ctx.services.recordingPermission;
    const r = await requestToRecord(g.conferenceId, g.people.mother, '2026-02-20', '09:00');
    const decision = {
      version: r.version,
      outcome: 'granted' as const,
      grounds: [],
      alternatives: [],
      alternativesNote: '',
      reasons: 'Grace finds it hard to remember what is said.',
    };
    expect((await service.detail(cover, r.id, as(cover))).can.decide).toBe(true);
    expect((await service.detail(third, r.id, as(third))).can.decide).toBe(false);
    const { waiting } = await service.waiting(cover, as(cover));
    expect(waiting.find((w) => w.request.id === r.id)?.mine).toBe(true);

    const err = await refusedToThird(service.decide(third, r.id, decision, as(third)), 'recording-permission.decide');
    expect(err.conferenceId).toBe(g.conferenceId);

    const granted = await service.decide(cover, r.id, decision, as(cover));
    expect(granted.status.value).toBe('granted');
    expect(granted.decision).toMatchObject({ decidedBy: 'Omar Cover' });
  });

  it('P-8: the cover chair records someone recording against the parents’ wishes; a third chair is refused the form and the record, naming the chair, and audited', async () => {
    const g = await covered('2026-03-02T11:00:00Z', siblings('Jones', 'held'));
    const incidents = ctx.services.recordingIncidents;
    const what = {
      personInviteeId: null,
      personDescription: 'An uncle of the children',
      askedToStopAt: '10:20',
      meetingHaltedAt: '10:22',
      askedToLeaveAt: '10:23',
      outcome: 'left',
      outcomeAt: '10:25',
      notes: '',
    };
    expect((await incidents.overview(third, g.conferenceId, as(third))).can.recordUnpermitted).toBe(false);
    expect((await incidents.overview(cover, g.conferenceId, as(cover))).can.recordUnpermitted).toBe(true);
    await refusedToThird(incidents.unpermittedForm(third, g.conferenceId, as(third)), 'unpermitted-recording.form');
    await refusedToThird(
      incidents.recordUnpermitted(third, g.conferenceId, what, as(third)),
      'unpermitted-recording.record',
    );

    expect((await incidents.unpermittedForm(cover, g.conferenceId, as(cover))).can.recordUnpermitted).toBe(true);
    const saved = await incidents.recordUnpermitted(cover, g.conferenceId, what, as(cover));
    expect(saved).toMatchObject({ person: { name: 'An uncle of the children' }, recordedBy: 'Omar Cover' });
    // The assigned chair still may.
    await incidents.recordUnpermitted(chair, g.conferenceId, { ...what, notes: 'Again' }, as(chair));
    expect(await incidents.unpermittedAt(sw, g.conferenceId, as(sw))).toHaveLength(2);
  });

  it('P-9: the cover chair records what was done about a covert recording and closes it; a third chair is refused, naming the chair, and audited', async () => {
    const g = await covered('2026-03-06T12:00:00Z', siblings('Fisher', 'held'));
    const incidents = ctx.services.recordingIncidents;
    // Whoever finds out tells the chair: any chair may still report it.
    const { id } = await incidents.reportCovert(
      third,
      g.conferenceId,
      covertDiscovery([g.children.ava, g.children.ben]),
      as(third),
    );
    expect((await incidents.covertDetail(cover, g.conferenceId, id, as(cover))).can.decide).toBe(true);
    expect((await incidents.covertDetail(third, g.conferenceId, id, as(third))).can.decide).toBe(false);
    expect((await incidents.overview(third, g.conferenceId, as(third))).can.decide).toBe(false);

    const step = (action: string, outcome: string) => ({
      action,
      description: '',
      decision: 'taken',
      on: '2026-03-06',
      by: 'Omar Cover',
      outcome,
    });
    await refusedToThird(
      incidents.recordAction(third, g.conferenceId, id, step('inform-network', ''), as(third)),
      'covert-recording.action',
    );
    await incidents.recordAction(
      cover,
      g.conferenceId,
      id,
      step('inform-network', 'Emailed the core group'),
      as(cover),
    );
    await incidents.recordAction(cover, g.conferenceId, id, step('inform-legal', ''), as(cover));
    const view = await incidents.recordAction(
      cover,
      g.conferenceId,
      id,
      step('legal-advice', 'Advised to ask the site to remove it'),
      as(cover),
    );
    const closing = { outcome: 'The site removed it when asked.', closedOn: '2026-03-06', version: view.version };
    await refusedToThird(
      incidents.closeCovert(third, g.conferenceId, id, closing, as(third)),
      'covert-recording.close',
    );
    const closed = await incidents.closeCovert(cover, g.conferenceId, id, closing, as(cover));
    expect(closed.open).toBe(false);
  });

  it('P-9, T-11: while cover is recorded, the covert recording email, its reminders and a request at short notice go to the cover chair as well as the chair', async () => {
    // Thursday 5 March 2026: a covert recording of a conference held on 2 March is reported.
    const held = await covered('2026-03-05T12:00:00Z', siblings('Khan', 'held'));
    const incidents = ctx.services.recordingIncidents;
    const { id, chairTold } = await incidents.reportCovert(
      support,
      held.conferenceId,
      covertDiscovery([held.children.ava, held.children.ben]),
      as(support),
    );
    expect(chairTold).toBe(true);
    const both = [emailOf(chair), emailOf(cover)].sort();
    expect(await sentTo('covert-recording-reported', id)).toEqual(both);
    const reported = (await auditRows(ctx, 'covert-recording.report')).filter((a) => a.subjectId === held.conferenceId);
    expect(reported.map((a) => a.details)).toMatchObject([{ chairTold: true, coverChairTold: true }]);

    // Five working days on, the reminder goes to both; the reminder itself is kept against the assigned chair.
    ctx.clock.current = new Date('2026-03-12T08:00:00Z');
    expect(await incidents.sendReminders()).toEqual({ due: 1, emailed: 2 });
    expect(await sentTo('covert-recording-reminder', id)).toEqual(both);
    const kept = await ctx.services.database.db
      .select()
      .from(covertRecordingReminders)
      .where(eq(covertRecordingReminders.incidentId, id));
    expect(kept).toMatchObject([{ dueOn: '2026-03-12', recipientUserId: chair.id }]);
    const reminded = (await auditRows(ctx, 'covert-recording.remind')).filter((a) => a.subjectId === held.conferenceId);
    expect(reminded.map((a) => a.details)).toMatchObject([{ chairReminded: true, coverChairReminded: true }]);

    // T-11: a request 30 hours before the conference (2 March 2026, 10:00) is flagged and both are told.
    const planned = await covered('2026-03-01T05:00:00Z', siblings('Lowe'));
    const late = await requestToRecord(planned.conferenceId, planned.people.mother, '2026-03-01', '04:00');
    expect(late.notice).toEqual({ hoursBefore: 30, late: true });
    expect(await sentTo('recording-permission-short-notice', late.id)).toEqual(both);
  });

  it('W-5: the cover chair approves the written record; a third chair is refused, naming the chair, and audited', async () => {
    const g = await covered('2026-03-02T09:00:00Z', () =>
      heldConferenceForRecord(ctx, { socialWorker: sw, chair, support }, { familyName: 'Grant' }),
    );
    const documents = ctx.services.documents;
    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'decision-letter', subjectInviteeId: null },
      as(support),
    );
    const written = await documents.saveSections(
      support,
      g.conferenceId,
      started.id,
      { version: started.version, sections: { 'plain-english-reasons': 'The home was not safe.' } },
      as(support),
    );
    const err = await refusedToThird(
      documents.approve(third, g.conferenceId, started.id, { version: written.version }, as(third)),
      'documents.draft.approve',
    );
    expect(err.chairName).toBe('Cal Chair');
    expect((await documents.draft(third, g.conferenceId, started.id, as(third))).can).toMatchObject({
      approve: false,
    });
    const approved = await documents.approve(
      cover,
      g.conferenceId,
      started.id,
      { version: written.version },
      as(cover),
    );
    expect(approved.status).toBe('approved');
  });

  it('W-5: the cover chair decides on amendments to the issued record; a third chair is refused, naming the chair, and audited', async () => {
    const { g, draftId } = await covered('2026-03-02T09:00:00Z', async () => {
      const issued = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support }, { contacts: false });
      return { ...issued, conferenceId: issued.g.conferenceId };
    });
    const { amendments } = ctx.services;
    const request = await amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId: g.invitee.mother,
        channel: 'phone',
        receivedOn: londonDateOf(ctx.clock.now()),
        recordReceivedOn: null,
        points: [{ sectionId: 'plain-english-reasons', originalText: LETTER_REASONS, requestedChange: 'Remove this.' }],
      },
      as(support),
    );
    const decision = {
      version: request.version,
      decisions: [{ decision: 'not-accepted' as const, reasons: 'It is accurate.' }],
    };
    await refusedToThird(
      amendments.decide(third, g.conferenceId, request.id, decision, as(third)),
      'amendments.decide',
    );
    const decided = await amendments.decide(cover, g.conferenceId, request.id, decision, as(cover));
    expect(decided.request).toMatchObject({ status: 'decided', decidedByName: 'Omar Cover' });
  });

  it('A-2, A-3: a request for a copy is referred by the chair the requester asked, not only the conference’s chair or its cover', async () => {
    const g = await covered('2026-05-11T09:00:00Z', siblings('Hughes', 'held'));
    const recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
    });
    const requests = ctx.services.requests;
    const r = await requests.receive(
      third,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
      },
      as(third),
    );
    const referred = await requests.refer(
      third,
      r.id,
      r.version,
      {
        childIds: [g.children.ava, g.children.ben],
        email: 'grace.private@example.org',
        emailVerified: true,
        withheldSegmentIds: [],
        nothingWithheld: true,
        recordingIds: [recordingId],
      },
      as(third),
    );
    expect(referred.state).toBe('referred');
    const denied = (await auditRows(ctx, 'copy-request.refer')).filter(
      (a) => a.outcome === 'denied' && a.actorUserId === third.id,
    );
    expect(denied).toEqual([]);
  });
});
