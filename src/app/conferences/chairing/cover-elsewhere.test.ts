/**
 * 002 §4.1 beyond the meeting: the recording permission decision (P-6), covert recording incidents (P-9) and
 * approving the written record (W-5) are the conference's assigned chair's or the recorded cover chair's; another
 * chair is refused (NotTheChairError, naming the chair) and the refusal audited. A request for a copy is
 * the chair the requester asked, whoever chairs the conference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { londonDateOf } from '../../../domain/calendar/index.ts';
import { NotTheChairError } from '../../../domain/conferences/chair-cover.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../../test/support/conferences.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
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

  const recordCover = (conferenceId: string) =>
    ctx.services.chairing.recordCover(
      manager,
      conferenceId,
      { coverChairUserId: cover.id, reason: 'Cal Chair is on leave' },
      as(manager),
    );

  /** The refusal of `p`, checked to name the assigned chair. */
  async function refusal(p: Promise<unknown>): Promise<NotTheChairError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NotTheChairError);
    expect((err as NotTheChairError).message).toBe(REFUSED);
    return err as NotTheChairError;
  }

  const deniedTo = async (action: string, actor: Actor) =>
    (await auditRows(ctx, action)).filter((a) => a.outcome === 'denied' && a.actorUserId === actor.id);

  it('P-6: the cover chair decides a request to record the conference; a third chair is refused, naming the chair, and audited', async () => {
    ctx.clock.current = new Date('2026-02-20T10:00:00Z');
    const g: SiblingGroupConference = await siblingGroupConference(ctx, {
      socialWorker: sw,
      chair,
      familyName: 'Ellis',
    });
    const service = ctx.services.recordingPermission;
    const r = await service.record(
      support,
      { conferenceId: g.conferenceId },
      {
        requester: { kind: 'family', personId: g.people.mother },
        askedOn: '2026-02-20',
        askedAtTime: '09:00',
        method: 'phone',
        purpose: 'She finds it hard to remember what is said when she is stressed.',
        undertaking: 'upload',
        file: PDF,
      },
      as(support),
    );
    const decision = {
      version: r.version,
      outcome: 'granted' as const,
      grounds: [],
      alternatives: [],
      alternativesNote: '',
      reasons: 'Grace finds it hard to remember what is said.',
    };
    await recordCover(g.conferenceId);
    expect((await service.detail(cover, r.id, as(cover))).can.decide).toBe(true);
    expect((await service.detail(third, r.id, as(third))).can.decide).toBe(false);
    const { waiting } = await service.waiting(cover, as(cover));
    expect(waiting.find((w) => w.request.id === r.id)?.mine).toBe(true);

    const err = await refusal(service.decide(third, r.id, decision, as(third)));
    expect(err.conferenceId).toBe(g.conferenceId);
    expect((await deniedTo('recording-permission.decide', third)).map((a) => a.details)).toEqual([
      { reason: 'not the conference chair' },
    ]);

    const granted = await service.decide(cover, r.id, decision, as(cover));
    expect(granted.status.value).toBe('granted');
    expect(granted.decision).toMatchObject({ decidedBy: 'Omar Cover' });
  });

  it('P-9: the cover chair records what was done about a covert recording and closes it; a third chair is refused, naming the chair, and audited', async () => {
    ctx.clock.current = new Date('2026-03-06T12:00:00Z');
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held', familyName: 'Fisher' });
    const incidents = ctx.services.recordingIncidents;
    // Whoever finds out tells the chair: any chair may still report it.
    const { id } = await incidents.reportCovert(
      third,
      g.conferenceId,
      covertDiscovery([g.children.ava, g.children.ben]),
      as(third),
    );
    await recordCover(g.conferenceId);
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
    await refusal(incidents.recordAction(third, g.conferenceId, id, step('inform-network', ''), as(third)));
    expect((await deniedTo('covert-recording.action', third)).map((a) => a.details)).toEqual([
      { reason: 'not the conference chair' },
    ]);

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
    await refusal(incidents.closeCovert(third, g.conferenceId, id, closing, as(third)));
    expect(await deniedTo('covert-recording.close', third)).toHaveLength(1);
    const closed = await incidents.closeCovert(cover, g.conferenceId, id, closing, as(cover));
    expect(closed.open).toBe(false);
  });

  it('W-5: the cover chair approves the written record; a third chair is refused, naming the chair, and audited', async () => {
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    const g = await heldConferenceForRecord(ctx, { socialWorker: sw, chair, support }, { familyName: 'Grant' });
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
    await recordCover(g.conferenceId);
    const err = await refusal(
      documents.approve(third, g.conferenceId, started.id, { version: written.version }, as(third)),
    );
    expect(err.chairName).toBe('Cal Chair');
    expect((await deniedTo('documents.draft.approve', third)).map((a) => a.details)).toEqual([
      { reason: 'not the conference chair' },
    ]);
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
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    const { g, draftId } = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support }, { contacts: false });
    const { amendments } = ctx.services;
    await recordCover(g.conferenceId);
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
    await refusal(amendments.decide(third, g.conferenceId, request.id, decision, as(third)));
    expect((await deniedTo('amendments.decide', third)).map((a) => a.details)).toEqual([
      { reason: 'not the conference chair' },
    ]);
    const decided = await amendments.decide(cover, g.conferenceId, request.id, decision, as(cover));
    expect(decided.request).toMatchObject({ status: 'decided', decidedByName: 'Omar Cover' });
  });

  it('A-2, A-3: a request for a copy is referred by the chair the requester asked, not only the conference’s chair or its cover', async () => {
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held', familyName: 'Hughes' });
    const recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
    });
    await recordCover(g.conferenceId);
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
    expect(await deniedTo('copy-request.refer', third)).toEqual([]);
  });
});
