import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { openPdf } from '../../../test/support/pdf.ts';
import { auditRows } from '../../../test/support/people.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { type IssuedLetter, issuedDecisionLetter, letterStaff } from '../../../test/support/sending.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { AmendmentService } from './amendments.ts';
import type { DocumentService } from './document-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });
const DAY = 24 * 60 * 60 * 1000;

const FIRST = 'The conference agreed that Ava and Ben need a plan because the home was not safe.';
const SECOND = 'Their father attended the whole conference.';

describe.each(testDatabases())('the letter with the chair’s decision on each amendment point (%s)', (kind) => {
  let ctx: TestContext;
  let documents: DocumentService;
  let amendments: AmendmentService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    documents = ctx.services.documents;
    amendments = ctx.services.amendments;
    ({ socialWorker: sw, chair, support } = await letterStaff(ctx));
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

  async function request(
    g: SiblingGroupConference,
    draftId: string,
    requesterInviteeId: string,
    points: Array<{ originalText: string; requestedChange: string }>,
  ) {
    return amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId,
        channel: 'letter',
        receivedOn: londonDateOf(ctx.clock.now()),
        recordReceivedOn: null,
        points: points.map((p) => ({ sectionId: 'plain-english-reasons', ...p })),
      },
      as(support),
    );
  }

  async function letters(conferenceId: string) {
    const view = await documents.conferenceDocuments(support, conferenceId, as(support));
    return view.documents.filter((x) => x.kind === 'amendment-decision-letter');
  }

  it('W-5, T-8: deciding every point of a late request prepares exactly one letter, for the requester (a parent’s copy) and the children’s file', async () => {
    const { g, draftId } = await issuedLetter();
    // T-8: the mother's request arrives well after the 10 working days; it is still answered.
    ctx.clock.advance(25 * DAY);
    const asked = await request(g, draftId, g.invitee.mother, [
      { originalText: SECOND, requestedChange: 'He left at half time.' },
      { originalText: FIRST, requestedChange: 'The home was safe.' },
    ]);
    expect(asked.lateFlag).toBe('Received after the 10 working days');
    expect(asked.letter).toBeNull();
    expect(await letters(g.conferenceId)).toEqual([]);

    const decided = await amendments.decide(
      chair,
      g.conferenceId,
      asked.id,
      {
        version: asked.version,
        decisions: [
          { decision: 'accepted', reasons: 'The register shows he left at 11:00.' },
          { decision: 'not-accepted', reasons: 'The conference found the home was not safe.' },
        ],
      },
      as(chair),
    );
    expect(decided.request.letter).toMatchObject({ status: 'prepared' });
    const letterId = decided.request.letter!.draftId;
    const audit = await auditRows(ctx, 'amendments.decide');
    expect(audit.some((a) => (a.details as { letterDraftId?: string } | null)?.letterDraftId === letterId)).toBe(true);

    // It is in the conference's documents list, being drafted, with no timescale of its own.
    const listed = await letters(g.conferenceId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      draftId: letterId,
      state: 'drafting',
      label: 'Decision on a request to amend the record: Grace Okafor',
      due: null,
    });

    // A second decision on the same request is refused, and makes no second letter.
    await expect(
      amendments.decide(
        chair,
        g.conferenceId,
        asked.id,
        { version: decided.request.version, decisions: [{ decision: 'accepted', reasons: 'x' }] },
        as(chair),
      ),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await letters(g.conferenceId)).toHaveLength(1);

    // W-4: its distribution is the requester alone, with a parent's copy, and the children's file; adding anyone
    // else is refused.
    const distribution = await documents.distribution(support, g.conferenceId, letterId, as(support));
    expect(distribution.entries.filter((e) => e.included).map((e) => [e.inviteeId, e.copy.kind])).toEqual([
      [null, 'full'],
      [g.invitee.mother, 'parent'],
    ]);
    await expect(
      documents.changeDistribution(
        support,
        g.conferenceId,
        letterId,
        { inviteeId: g.invitee.father, action: 'add', reason: 'He asked for a copy' },
        as(support),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_DETAILS' });

    // The preview gives each point, the decision and the reasons.
    const draft = await documents.draft(support, g.conferenceId, letterId, as(support));
    expect(draft.previewHtml).toContain('Dear Grace Okafor');
    expect(draft.previewHtml).toContain('He left at half time.');
    expect(draft.previewHtml).toContain('The conference found the home was not safe.');
    expect(draft.previewHtml).toContain('Your request reached us after that date.');
  });

  it('W-5, W-6, W-7: the chair approves the letter and business support issues it: one parent’s copy, dated that day, which the PDF reads back', async () => {
    const { g, draftId } = await issuedLetter();
    const asked = await request(g, draftId, g.invitee.mother, [
      { originalText: SECOND, requestedChange: 'He left at half time.' },
      { originalText: '', requestedChange: 'Say that I disagreed with the plan.' },
    ]);
    const decided = await amendments.decide(
      chair,
      g.conferenceId,
      asked.id,
      {
        version: asked.version,
        decisions: [
          { decision: 'accepted-in-part', reasons: 'He left at 11:00, which was after the decisions.' },
          { decision: 'not-accepted', reasons: 'The record already says you disagreed.' },
        ],
      },
      as(chair),
    );
    const letterId = decided.request.letter!.draftId;
    const draft = await documents.draft(support, g.conferenceId, letterId, as(support));
    const approved = await documents.approve(chair, g.conferenceId, letterId, { version: draft.version }, as(chair));
    expect((await amendments.request(support, g.conferenceId, asked.id, as(support))).letter?.status).toBe('approved');
    const issued = await documents.issue(support, g.conferenceId, letterId, { version: approved.version }, as(support));
    expect(issued.copies.map((c) => [c.recipientInviteeId, c.copyKind, c.format]).sort()).toEqual([
      [null, 'full', 'html'],
      [null, 'full', 'pdf'],
      [g.invitee.mother, 'parent', 'html'],
      [g.invitee.mother, 'parent', 'pdf'],
    ]);
    expect((await amendments.request(support, g.conferenceId, asked.id, as(support))).letter?.status).toBe('issued');
    // The chair's answer is not itself a document a request can be about.
    const amendable = await amendments.amendments(support, g.conferenceId, as(support));
    expect(amendable.documents.map((x) => x.kind)).not.toContain('amendment-decision-letter');

    const pdfCopy = issued.copies.find((c) => c.format === 'pdf' && c.copyKind === 'parent')!;
    const downloaded = await documents.download(support, g.conferenceId, pdfCopy.id, as(support));
    expect(downloaded.fileName).toMatch(/^amendment-decision-letter-\d{4}-\d{2}-\d{2}-v1-parents-copy\.pdf$/);
    const pdf = await openPdf(downloaded.bytes);
    try {
      expect((await pdf.info())['Tagged']).toBe('yes');
      const text = (await pdf.pagesText()).join('\n').replace(/\s+/g, ' ');
      expect(text).toContain("PARENT'S COPY");
      expect(text).toContain('Dear Grace Okafor');
      expect(text).toContain(formatLongDate(londonDateOf(ctx.clock.now())));
      expect(text).toContain('He left at half time.');
      expect(text).toContain('Accepted in part');
      expect(text).toContain('He left at 11:00, which was after the decisions.');
      expect(text).toContain('You did not quote the text as issued.');
      expect(text).toContain('Not accepted');
      expect(text).toContain('will be written again as version 2');
      expect(text).toContain('If you want to complain');
      expect(text).toContain('Keeping this letter confidential');
      expect(text).toContain('Contact us');
      expect(text).toContain('Yours sincerely');
    } finally {
      await pdf.dispose();
    }

    // Once the requester's copy has gone, the request says the letter was sent.
    await ctx.services.documentSending.recordPosted(
      support,
      g.conferenceId,
      {
        draftId: letterId,
        issueNumber: 1,
        recipientInviteeId: g.invitee.mother,
        postedOn: londonDateOf(ctx.clock.now()),
      },
      as(support),
    );
    expect((await amendments.request(support, g.conferenceId, asked.id, as(support))).letter?.status).toBe('sent');
  });

  it('W-5: each request has its own letter: a second request from the same person, and one from an agency with the full copy', async () => {
    const { g, draftId } = await issuedLetter();
    const decideAll = async (r: Awaited<ReturnType<typeof request>>) =>
      amendments.decide(
        chair,
        g.conferenceId,
        r.id,
        {
          version: r.version,
          decisions: r.points.map(() => ({ decision: 'not-accepted' as const, reasons: 'The record is accurate.' })),
        },
        as(chair),
      );
    const first = await decideAll(
      await request(g, draftId, g.invitee.mother, [{ originalText: FIRST, requestedChange: 'Remove this.' }]),
    );
    const second = await decideAll(
      await request(g, draftId, g.invitee.mother, [{ originalText: SECOND, requestedChange: 'Remove this too.' }]),
    );
    const police = await decideAll(
      await request(g, draftId, g.invitee.police, [{ originalText: FIRST, requestedChange: 'Add our view.' }]),
    );
    const ids = [first, second, police].map((r) => r.request.letter!.draftId);
    expect(new Set(ids).size).toBe(3);
    expect((await letters(g.conferenceId)).map((x) => x.draftId).sort()).toEqual([...ids].sort());
    const list = await amendments.amendments(support, g.conferenceId, as(support));
    expect(list.requests.map((r) => r.letter?.draftId).sort()).toEqual([...ids].sort());

    const toPolice = await documents.distribution(support, g.conferenceId, police.request.letter!.draftId, as(support));
    expect(toPolice.entries.filter((e) => e.included).map((e) => [e.inviteeId, e.copy.kind])).toEqual([
      [null, 'full'],
      [g.invitee.police, 'full'],
    ]);
    const toMother = await documents.distribution(support, g.conferenceId, second.request.letter!.draftId, as(support));
    expect(toMother.entries.filter((e) => e.included).map((e) => [e.inviteeId, e.copy.kind])).toEqual([
      [null, 'full'],
      [g.invitee.mother, 'parent'],
    ]);
    // Nothing was accepted: the decision letter stays issued, and each letter says so.
    const preview = await documents.draft(support, g.conferenceId, second.request.letter!.draftId, as(support));
    expect(preview.previewHtml).toContain('stays as it was issued');
    expect(preview.previewHtml).toContain('Remove this too.');
    expect(preview.previewHtml).not.toContain('Remove this.<');
  });
});
