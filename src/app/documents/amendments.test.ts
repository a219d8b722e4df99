import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { londonDateOf } from '../../domain/calendar/index.ts';
import { amendmentDueDate } from '../../domain/documents/index.ts';
import { AccessDeniedError, DomainError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type IssuedLetter, issuedDecisionLetter, letterStaff } from '../../../test/support/sending.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { AmendmentService } from './amendments.ts';
import type { DocumentService } from './document-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });
const DAY = 24 * 60 * 60 * 1000;

const FIRST = 'The conference agreed that Ava and Ben need a plan because the home was not safe.';
const SECOND = 'Their father attended the whole conference.';
const CORRECTED = 'Their father attended the first half of the conference.';

describe.each(testDatabases())('amendments to the written record (%s)', (kind) => {
  let ctx: TestContext;
  let documents: DocumentService;
  let amendments: AmendmentService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let stranger: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    documents = ctx.services.documents;
    amendments = ctx.services.amendments;
    ({ socialWorker: sw, chair, support } = await letterStaff(ctx));
    stranger = await staff(ctx, 'Stan Stranger', ['social_worker']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** A held conference whose decision letter is issued as version 1. */
  const issuedLetter = (): Promise<IssuedLetter> =>
    issuedDecisionLetter(
      ctx,
      { socialWorker: sw, chair, support },
      { reasons: `${FIRST}\n\n${SECOND}`, contacts: false },
    );

  async function copyText(conferenceId: string, issuedId: string): Promise<string> {
    const copy = await documents.download(support, conferenceId, issuedId, as(support));
    return Buffer.from(copy.bytes).toString('utf8');
  }

  it('W-5, T-8: a request is recorded with its points; it is due 10 working days from the day the copy was issued, and one received later is still recorded and flagged', async () => {
    const { g, draftId } = await issuedLetter();
    const issuedOn = londonDateOf(ctx.clock.now());
    const list = await amendments.amendments(support, g.conferenceId, as(support));
    expect(list.can.record).toBe(true);
    expect(list.documents.map((x) => [x.kind, x.issueNumber])).toEqual([['decision-letter', 1]]);
    expect(list.documents[0]!.recipients.map((r) => r.inviteeId)).toContain(g.invitee.mother);

    ctx.clock.advance(3 * DAY);
    const request = await amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId: g.invitee.mother,
        channel: 'email',
        receivedOn: londonDateOf(ctx.clock.now()),
        recordReceivedOn: null,
        points: [
          { sectionId: 'plain-english-reasons', originalText: SECOND, requestedChange: 'He left at half time.' },
        ],
      },
      as(support),
    );
    expect(request).toMatchObject({
      requesterName: 'Grace Okafor',
      recordReceivedOn: issuedOn,
      dueOn: amendmentDueDate(issuedOn, ctx.services.calendar),
      lateFlag: null,
      status: 'waiting-for-chair',
      documentLabel: 'Decision letter, version 1',
    });
    expect(request.points[0]).toMatchObject({ sectionLabel: expect.stringContaining('Why the conference') });

    ctx.clock.advance(20 * DAY);
    const late = await amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId: g.invitee.father,
        channel: 'letter',
        receivedOn: londonDateOf(ctx.clock.now()),
        recordReceivedOn: issuedOn,
        points: [{ sectionId: 'plain-english-reasons', originalText: '', requestedChange: 'Add that I disagree.' }],
      },
      as(support),
    );
    expect(late.lateFlag).toBe('Received after the 10 working days');
    expect(late.dueStatus?.status).toBe('overdue');

    // The dashboard lists both, waiting for the chair (both due the same day, now passed), the late one flagged.
    const dashboard = await ctx.services.dashboards.view(support, { section: 'amendments' }, as(support));
    const items = dashboard.sections.flatMap((sct) => sct.items).filter((i) => i.conference.id === g.conferenceId);
    expect(
      items
        .map((i) => (i.section === 'amendments' ? [i.request.id, i.request.late, i.status, i.due.due] : null))
        .sort(),
    ).toEqual(
      [
        [request.id, false, 'overdue', request.dueOn],
        [late.id, true, 'overdue', request.dueOn],
      ].sort(),
    );
    const strangers = await ctx.services.dashboards.view(stranger, { section: 'amendments' }, as(stranger));
    expect(strangers.sections.flatMap((sct) => sct.items).some((i) => i.conference.id === g.conferenceId)).toBe(false);

    const refused = amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId: g.invitee.mother,
        channel: 'fax',
        receivedOn: 'yesterday',
        recordReceivedOn: null,
        points: [{ sectionId: 'attendance', requestedChange: 'x' }],
      },
      as(support),
    );
    await expect(refused).rejects.toBeInstanceOf(InvalidDetailsError);
    await expect(amendments.amendments(stranger, g.conferenceId, as(stranger))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    const audit = await auditRows(ctx, 'amendments.record');
    expect(audit.some((a) => (a.details as { requestId?: string } | null)?.requestId === request.id)).toBe(true);
  });

  it('W-5: only the chair decides; points refused leave the issued document as it is', async () => {
    const { g, draftId } = await issuedLetter();
    const request = await amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId: g.invitee.mother,
        channel: 'phone',
        receivedOn: londonDateOf(ctx.clock.now()),
        recordReceivedOn: null,
        points: [{ sectionId: 'plain-english-reasons', originalText: FIRST, requestedChange: 'Remove this.' }],
      },
      as(support),
    );
    await expect(
      amendments.decide(
        support,
        g.conferenceId,
        request.id,
        { version: request.version, decisions: [{ decision: 'not-accepted', reasons: 'It is accurate.' }] },
        as(support),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const denials = await auditRows(ctx, 'amendments.decide');
    expect(denials.some((a) => a.outcome === 'denied')).toBe(true);
    await expect(
      amendments.decide(chair, g.conferenceId, request.id, { version: request.version, decisions: [] }, as(chair)),
    ).rejects.toBeInstanceOf(InvalidDetailsError);
    const decided = await amendments.decide(
      chair,
      g.conferenceId,
      request.id,
      { version: request.version, decisions: [{ decision: 'not-accepted', reasons: 'It is accurate.' }] },
      as(chair),
    );
    expect(decided.newIssueNumber).toBeNull();
    expect(decided.request).toMatchObject({ status: 'decided', decidedByName: 'Cal Chair', dueStatus: null });
    const docs = await documents.conferenceDocuments(support, g.conferenceId, as(support));
    expect(docs.documents.find((x) => x.draftId === draftId)?.state).toBe('issued');
    await expect(
      amendments.decide(
        chair,
        g.conferenceId,
        request.id,
        { version: request.version, decisions: [{ decision: 'accepted', reasons: 'x' }] },
        as(chair),
      ),
    ).rejects.toBeInstanceOf(DomainError);
  });

  it('W-5: an accepted point makes version 2, which opens with "Changes in this version"; version 1’s copies are kept unchanged', async () => {
    const { g, draftId } = await issuedLetter();
    const before = await documents.conferenceDocuments(support, g.conferenceId, as(support));
    const first = before.issued.filter((i) => i.draftId === draftId);
    const request = await amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId: g.invitee.father,
        channel: 'in-person',
        receivedOn: londonDateOf(ctx.clock.now()),
        recordReceivedOn: null,
        points: [
          { sectionId: 'plain-english-reasons', originalText: SECOND, requestedChange: 'I left at half time.' },
          { sectionId: 'plain-english-reasons', originalText: FIRST, requestedChange: 'The home was safe.' },
        ],
      },
      as(support),
    );
    await expect(
      amendments.decide(chair, g.conferenceId, request.id, { version: request.version + 1, decisions: [] }, as(chair)),
    ).rejects.toBeInstanceOf(StaleRecordError);
    const decided = await amendments.decide(
      chair,
      g.conferenceId,
      request.id,
      {
        version: request.version,
        decisions: [
          { decision: 'accepted', reasons: 'The register shows he left at 11:00.' },
          { decision: 'not-accepted', reasons: 'The conference found the home was not safe.' },
        ],
      },
      as(chair),
    );
    expect(decided.newIssueNumber).toBe(2);

    const draft = await documents.draft(support, g.conferenceId, draftId, as(support));
    expect(draft.status).toBe('drafting');
    // Beside its section, the point to carry into version 2; the refused one is not there.
    expect(draft.sections.find((s) => s.id === 'plain-english-reasons')!.accepted).toEqual([
      {
        requestId: request.id,
        requesterName: 'Daniel Mensah',
        originalText: SECOND,
        requestedChange: 'I left at half time.',
        decision: 'accepted',
        reasons: 'The register shows he left at 11:00.',
      },
    ]);
    const saved = await documents.saveSections(
      support,
      g.conferenceId,
      draftId,
      { version: draft.version, sections: { 'plain-english-reasons': `${FIRST}\n\n${CORRECTED}` } },
      as(support),
    );
    const approved = await documents.approve(chair, g.conferenceId, draftId, { version: saved.version }, as(chair));
    ctx.clock.advance(DAY);
    const issued = await documents.issue(support, g.conferenceId, draftId, { version: approved.version }, as(support));
    expect(issued.issueNumber).toBe(2);
    // Once issued, nothing is left to carry.
    const done = await documents.draft(support, g.conferenceId, draftId, as(support));
    expect(done.sections.every((s) => s.accepted.length === 0)).toBe(true);

    const after = await documents.conferenceDocuments(support, g.conferenceId, as(support));
    const kept = after.issued.filter((i) => i.draftId === draftId && i.issueNumber === 1);
    expect(kept.map((i) => [i.id, i.sha256]).sort()).toEqual(first.map((i) => [i.id, i.sha256]).sort());
    const fileCopy = issued.copies.find(
      (c) => c.copyKind === 'full' && c.recipientInviteeId === null && c.format === 'html',
    )!;
    const text = await copyText(g.conferenceId, fileCopy.id);
    expect(text).toContain('Changes in this version');
    expect(text).toContain('It replaces version 1');
    expect(text).toContain('I left at half time.');
    expect(text).toContain('The register shows he left at 11:00.');
    expect(text).toContain(SECOND);
    expect(text).toContain(CORRECTED);
    expect(text).not.toContain('The home was safe.');
    const oldCopy = first.find((c) => c.copyKind === 'full' && c.recipientInviteeId === null && c.format === 'html')!;
    expect(await copyText(g.conferenceId, oldCopy.id)).not.toContain('Changes in this version');
  });
});
