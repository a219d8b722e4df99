/**
 * Reconvened conferences (Q-1, D-1), invitations kept as issued (R-1 in the stored text), interpreter
 * languages, nobody invited twice (with the database as the backstop, raced on PostgreSQL too), and
 * the report blob keys a sweep must keep.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../domain/calendar/index.ts';
import { recordingNotice } from '../../domain/conferences/invitations.ts';
import { conferenceInvitees, conferences, invitationIssues } from '../../infra/db/schema.ts';
import { auditRows } from '../../../test/support/people.ts';
import { PDF_BYTES, ctxOf, initialInput, siblingFixture } from '../../../test/support/convening.ts';
import { markAdjourned, markDissentReconvene } from '../../../test/support/conference-links.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { UnitOfWork } from '../unit-of-work.ts';
import { AlreadyInvitedError } from './convening-ports.ts';
import { ConveningService } from './convening-service.ts';
import { orphanedKeys } from './report-blobs.ts';
import { InvalidDetailsError } from '../../domain/shared/errors.ts';

const d = (s: string) => s as IsoDate;

/** The problems an InvalidDetailsError lists, as { field: message }. */
async function problems(p: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return Object.fromEntries(err.problems.map((x) => [x.field, x.message]));
    throw err;
  }
  throw new Error('expected InvalidDetailsError');
}

/** The database's own message for a refused statement (drizzle wraps it as the cause). */
async function refusal(p: PromiseLike<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const messages: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' / ');
  }
  return 'not refused';
}

describe.each(testDatabases())('conference links, issued invitations and interpreters (%s)', (kind) => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  describe('reconvened conferences', () => {
    it('Q-1: an adjourned conference is offered, linked both ways when the new one is convened, audited, and cannot be reconvened twice', async () => {
      const f = await siblingFixture(ctx, 'Adebayo');
      const { convening } = ctx.services;
      const { id: adjourned } = await convening.convene(
        f.sw,
        initialInput(f, { scheduledDate: '2026-03-02' }),
        ctxOf(f.sw),
      );
      expect(await convening.reconveneChoices(f.sw, [f.ava], ctxOf(f.sw))).toEqual([]);
      await markAdjourned(ctx, adjourned, d('2026-03-09'));

      const choices = await convening.reconveneChoices(f.sw, [f.ben], ctxOf(f.sw));
      expect(choices).toEqual([
        expect.objectContaining({
          id: adjourned,
          ground: { rule: 'Q-1', newDate: '2026-03-09' },
          label: 'Initial child protection conference on 2 March 2026',
          reason: 'Adjourned as not quorate: the chair set the new date, 9 March 2026',
        }),
      ]);
      const before = await convening.getConference(f.sw, adjourned, ctxOf(f.sw));
      expect(before.reconvene).toMatchObject({ ground: { rule: 'Q-1' }, outstanding: true });

      // The reconvened conference is of the same type.
      expect(
        await problems(
          convening.convene(
            f.sw,
            initialInput(f, {
              type: 'transfer-in',
              noticeOfMoveDate: '2026-02-27',
              scheduledDate: '2026-03-09',
              reconvenesConferenceId: adjourned,
            }),
            ctxOf(f.sw),
          ),
        ),
      ).toEqual({
        type: 'A reconvened conference is of the same type as the one it reconvenes: choose “Initial child protection conference”',
      });

      const { id: reconvened, prepared } = await convening.convene(
        f.sw,
        initialInput(f, { scheduledDate: '2026-03-09', reconvenesConferenceId: adjourned }),
        ctxOf(f.sw),
      );
      expect(prepared.reconvenes).toMatchObject({ id: adjourned, ground: { rule: 'Q-1' } });
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, adjourned));
      expect(row!.reconvenedConferenceId).toBe(reconvened);

      const old = await convening.getConference(f.sw, adjourned, ctxOf(f.sw));
      expect(old.conference.reconvenedAs).toEqual({
        id: reconvened,
        type: 'initial',
        status: 'planned',
        scheduledDate: '2026-03-09',
      });
      expect(old.reconvene).toMatchObject({ outstanding: false });
      const next = await convening.getConference(f.sw, reconvened, ctxOf(f.sw));
      expect(next.conference.reconvenes).toEqual({
        id: adjourned,
        type: 'initial',
        status: 'adjourned-inquorate',
        scheduledDate: '2026-03-02',
      });
      expect((await auditRows(ctx, 'conference.reconvene.link')).filter((r) => r.subjectId === adjourned)).toEqual([
        expect.objectContaining({ outcome: 'success', details: { reconvenedConferenceId: reconvened, rule: 'Q-1' } }),
      ]);
      expect(
        (await auditRows(ctx, 'conference.create')).find((r) => r.subjectId === reconvened)?.details,
      ).toMatchObject({ reconvenesConferenceId: adjourned });

      // Linked: no longer offered, and refused with the reason when asked for again.
      expect(await convening.reconveneChoices(f.sw, [f.ava], ctxOf(f.sw))).toEqual([]);
      const count = (await ctx.services.database.db.select().from(conferences)).length;
      expect(
        await problems(
          convening.convene(
            f.sw,
            initialInput(f, { scheduledDate: '2026-03-10', reconvenesConferenceId: adjourned }),
            ctxOf(f.sw),
          ),
        ),
      ).toEqual({
        reconvenesConferenceId:
          'The Initial child protection conference on 2 March 2026 has already been reconvened as the Initial child protection conference on 9 March 2026',
      });
      expect((await ctx.services.database.db.select().from(conferences)).length).toBe(count);
    });

    it('refuses a conference that is not waiting, or one about other children', async () => {
      const f = await siblingFixture(ctx, 'Bello');
      const g = await siblingFixture(ctx, 'Chukwu');
      const { convening } = ctx.services;
      const { id: planned } = await convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      expect(
        await problems(convening.convene(f.sw, initialInput(f, { reconvenesConferenceId: planned }), ctxOf(f.sw))),
      ).toEqual({
        reconvenesConferenceId: 'Select a conference of these children that is waiting to be reconvened',
      });
      const { id: other } = await convening.convene(
        g.sw,
        initialInput(g, { scheduledDate: '2026-03-02' }),
        ctxOf(g.sw),
      );
      await markAdjourned(ctx, other, d('2026-03-09'));
      expect(
        await problems(convening.convene(f.sw, initialInput(f, { reconvenesConferenceId: other }), ctxOf(f.sw))),
      ).toEqual({
        reconvenesConferenceId: 'Select a conference of these children that is waiting to be reconvened',
      });
    });

    it('D-1: a review that decided to reconvene stays on the dashboard until a conference is linked as the reconvened one (another conference does not count)', async () => {
      const f = await siblingFixture(ctx, 'Danjuma');
      const { convening, dashboards } = ctx.services;
      const { id: held } = await convening.convene(f.sw, initialInput(f, { scheduledDate: '2026-03-02' }), ctxOf(f.sw));
      await markDissentReconvene(ctx, held, f.ava, { reviewedOn: d('2026-03-02'), reconveneDue: d('2026-03-30') });
      const outstanding = async () =>
        (await dashboards.view(f.support, { section: 'dissent' }, ctxOf(f.support))).sections[0]!.items.filter(
          (i) => i.conference.id === held,
        ).map((i) => ('state' in i ? i.state : null));
      expect(await outstanding()).toEqual(['reconvene-due']);
      expect((await convening.getConference(f.sw, held, ctxOf(f.sw))).reconvene).toMatchObject({
        ground: { rule: 'D-1', reviewedOn: '2026-03-02', due: '2026-03-30' },
        outstanding: true,
      });

      // A review conference planned for the children is not the reconvened one.
      await convening.convene(
        f.sw,
        initialInput(f, {
          type: 'review',
          strategyDiscussionDate: null,
          previousConferenceId: held,
          scheduledDate: '2026-05-11',
        }),
        ctxOf(f.sw),
      );
      expect(await outstanding()).toEqual(['reconvene-due']);

      const [choice] = await convening.reconveneChoices(f.sw, [f.ava], ctxOf(f.sw));
      expect(choice).toMatchObject({
        id: held,
        ground: { rule: 'D-1', due: '2026-03-30' },
        reason: 'The senior manager’s review on 2 March 2026 decided to reconvene: due by 30 March 2026',
      });
      const { id: reconvened } = await convening.convene(
        f.sw,
        initialInput(f, { scheduledDate: '2026-03-16', reconvenesConferenceId: held }),
        ctxOf(f.sw),
      );
      expect(await outstanding()).toEqual([]);
      expect((await convening.getConference(f.sw, held, ctxOf(f.sw))).conference.reconvenedAs?.id).toBe(reconvened);

      // A cancelled reconvened conference reconvenes nothing: outstanding again, and offered again.
      await ctx.services.database.db
        .update(conferences)
        .set({ status: 'cancelled', cancelledReason: 'Booked in error' })
        .where(eq(conferences.id, reconvened));
      expect(await outstanding()).toEqual(['reconvene-due']);
      expect((await convening.reconveneChoices(f.sw, [f.ava], ctxOf(f.sw))).map((c) => c.id)).toEqual([held]);
    });

    it('two people booking the reconvened conference at once: one is linked, the other is told it already is', async () => {
      const f = await siblingFixture(ctx, 'Eze');
      const { convening } = ctx.services;
      const { id: adjourned } = await convening.convene(
        f.sw,
        initialInput(f, { scheduledDate: '2026-03-02' }),
        ctxOf(f.sw),
      );
      await markAdjourned(ctx, adjourned, d('2026-03-09'));
      const results = await Promise.allSettled([
        convening.convene(
          f.sw,
          initialInput(f, { scheduledDate: '2026-03-09', reconvenesConferenceId: adjourned }),
          ctxOf(f.sw),
        ),
        convening.convene(
          f.sw,
          initialInput(f, { scheduledDate: '2026-03-10', reconvenesConferenceId: adjourned }),
          ctxOf(f.sw),
        ),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [refused] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused!.reason).toBeInstanceOf(InvalidDetailsError);
      expect((refused!.reason as InvalidDetailsError).problems[0]).toMatchObject({
        field: 'reconvenesConferenceId',
        message: expect.stringContaining('has already been reconvened'),
      });
      // All or nothing: the refused one left no conference behind.
      const { conferences: listed } = await convening.listChildConferences(f.sw, f.ava, ctxOf(f.sw));
      expect(listed.map((c) => c.id).filter((c) => c !== adjourned)).toHaveLength(1);
    });
  });

  describe('invitations kept as issued', () => {
    it('stores the text sent with its SHA-256, channel, time and sender; keeps the R-1 notice; a change makes a new issue, never an overwrite', async () => {
      const f = await siblingFixture(ctx, 'Fashola');
      const { convening } = ctx.services;
      const { id } = await convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      const [grace] = await convening.invite(
        f.support,
        id,
        [{ kind: 'family-member', personId: f.grace, sent: { method: 'letter-and-email', sentOn: '2026-03-02' } }],
        ctxOf(f.support),
      );
      expect(grace!.latestIssue).toMatchObject({
        issueNumber: 1,
        channel: 'letter-and-email',
        recipientEmail: 'grace@example.com',
        issuedBy: { id: f.support.id, name: 'Bo Support' },
      });

      const first = await convening.invitationContent(f.sw, id, grace!.id, ctxOf(f.sw));
      expect(first.issues).toHaveLength(1);
      const issue1 = first.issues[0]!;
      expect(issue1.bodySha256).toBe(createHash('sha256').update(issue1.body, 'utf8').digest('hex'));
      expect(issue1.recipientLines).toEqual(['Grace Fashola', '12 Mill Lane', 'Luton', 'LU1 1AA']);
      expect(issue1.subject).toContain('Monday 16 March 2026');
      expect(issue1.body).toContain('2 March 2026');
      // everyone invited is told in advance that the conference is recorded, in the text kept as sent.
      for (const paragraph of recordingNotice()) expect(issue1.body).toContain(paragraph);
      expect(first.changedSinceIssued).toBe(false);
      const sentAudit = (await auditRows(ctx, 'conference.invitation.sent')).filter((r) => r.subjectId === id);
      expect(sentAudit).toEqual([
        expect.objectContaining({
          details: {
            inviteeId: grace!.id,
            method: 'letter-and-email',
            issueId: issue1.id,
            issueNumber: 1,
            bodySha256: issue1.bodySha256,
          },
        }),
      ]);

      // The venue changes: the stored copy does not; the page says the text now differs.
      await ctx.services.database.db
        .update(conferences)
        .set({ venueDetails: 'Room 5, Town Hall\nLuton' })
        .where(eq(conferences.id, id));
      const changed = await convening.invitationContent(f.sw, id, grace!.id, ctxOf(f.sw));
      expect(changed.changedSinceIssued).toBe(true);
      expect(changed.issues[0]!.body).toBe(issue1.body);
      expect(changed.content.body).toContain('Room 5, Town Hall');

      const issue2 = await convening.recordInvitationSent(
        f.support,
        id,
        grace!.id,
        { method: 'email', sentOn: '2026-03-02' },
        ctxOf(f.support),
      );
      expect(issue2).toMatchObject({ issueNumber: 2, channel: 'email' });
      expect(issue2.body).toContain('Room 5, Town Hall');
      const after = await convening.invitationContent(f.sw, id, grace!.id, ctxOf(f.sw));
      expect(after.issues.map((i) => [i.issueNumber, i.bodySha256])).toEqual([
        [1, issue1.bodySha256],
        [2, issue2.bodySha256],
      ]);
      expect(after.changedSinceIssued).toBe(false);
      expect((await convening.invitationIssue(f.sw, id, grace!.id, issue1.id, ctxOf(f.sw))).issue.body).toBe(
        issue1.body,
      );

      // The database refuses to change or remove what was sent, whoever asks.
      const { db } = ctx.services.database;
      expect(
        await refusal(db.update(invitationIssues).set({ body: 'altered' }).where(eq(invitationIssues.id, issue1.id))),
      ).toMatch(/invitation_issues keeps what was sent: UPDATE refused/);
      expect(await refusal(db.delete(invitationIssues).where(eq(invitationIssues.id, issue1.id)))).toMatch(
        /invitation_issues keeps what was sent: DELETE refused/,
      );
      expect((await db.select().from(invitationIssues).where(eq(invitationIssues.id, issue1.id)))[0]!.body).toBe(
        issue1.body,
      );
    });
  });

  describe('interpreters', () => {
    it('records the language for family members and children who need one (from the record, or as answered), required when needed', async () => {
      const f = await siblingFixture(ctx, 'Garba');
      const { convening, meeting } = ctx.services;
      const { id } = await convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      // Dev needs one but no language is given: a clear error on his line, and nobody is invited.
      expect(
        await problems(
          convening.invite(
            f.sw,
            id,
            [
              { kind: 'family-member', personId: f.grace },
              { kind: 'family-member', personId: f.dev, interpreterNeeded: true, interpreterLanguage: '  ' },
            ],
            ctxOf(f.sw),
          ),
        ),
      ).toEqual({
        'invitees.1.interpreterLanguage': 'Enter the language Dev Mensah needs an interpreter in',
      });
      expect((await convening.getConference(f.sw, id, ctxOf(f.sw))).invitees).toEqual([]);

      const added = await convening.invite(
        f.sw,
        id,
        [
          { kind: 'family-member', personId: f.grace },
          { kind: 'family-member', personId: f.dev, interpreterNeeded: true, interpreterLanguage: 'Twi' },
          { kind: 'child', childId: f.ava, interpreterNeeded: false, interpreterLanguage: 'ignored' },
        ],
        ctxOf(f.sw),
      );
      // Grace's record says she needs a Yoruba interpreter.
      expect(added.map((i) => [i.name, i.interpreterLanguage])).toEqual([
        ['Grace Garba', 'Yoruba'],
        ['Dev Mensah', 'Twi'],
        ['Ava Garba', null],
      ]);
      const ava = added[2]!;
      expect(
        await problems(
          convening.recordInterpreterNeed(
            f.sw,
            id,
            ava.id,
            { interpreterNeeded: true, interpreterLanguage: '' },
            ctxOf(f.sw),
          ),
        ),
      ).toEqual({ interpreterLanguage: 'Enter the language Ava Garba needs an interpreter in' });
      expect(
        (
          await convening.recordInterpreterNeed(
            f.sw,
            id,
            ava.id,
            { interpreterNeeded: true, interpreterLanguage: 'British Sign Language' },
            ctxOf(f.sw),
          )
        ).interpreterLanguage,
      ).toBe('British Sign Language');
      expect(
        (await auditRows(ctx, 'conference.invitee.interpreter')).filter((r) => r.subjectId === id).at(-1)?.details,
      ).toEqual({ inviteeId: ava.id, interpreterNeeded: true });

      // The register shows it too.
      const view = await meeting.getMeeting(f.chair, id, ctxOf(f.chair));
      expect(Object.fromEntries(view.invitees.map((i) => [i.name, i.interpreterLanguage]))).toEqual({
        'Ava Garba': 'British Sign Language',
        'Grace Garba': 'Yoruba',
        'Dev Mensah': 'Twi',
      });
    });
  });

  describe('nobody is invited twice', () => {
    it('says who is already invited, on their field', async () => {
      const f = await siblingFixture(ctx, 'Haruna');
      const { convening } = ctx.services;
      const { id } = await convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      await convening.invite(
        f.sw,
        id,
        [
          { kind: 'family-member', personId: f.grace },
          { kind: 'professional', professionalId: f.teacher, directContact: true },
        ],
        ctxOf(f.sw),
      );
      expect(
        await problems(
          convening.invite(
            f.sw,
            id,
            [
              { kind: 'child', childId: f.ava },
              { kind: 'family-member', personId: f.grace },
            ],
            ctxOf(f.sw),
          ),
        ),
      ).toEqual({ 'invitees.1.personId': 'Grace Haruna is already invited' });
      expect(
        await problems(
          convening.invite(
            f.sw,
            id,
            [{ kind: 'professional', professionalId: f.teacher, directContact: true }],
            ctxOf(f.sw),
          ),
        ),
      ).toEqual({ 'invitees.0.professionalId': expect.stringMatching(/^Tess Teacher \d+ is already invited$/) });
    });

    it('two people inviting the same person at once: exactly one invitation, the other told by name', async () => {
      const f = await siblingFixture(ctx, 'Ibekwe');
      const { convening } = ctx.services;
      const { id } = await convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      const results = await Promise.allSettled([
        convening.invite(f.sw, id, [{ kind: 'family-member', personId: f.dev }], ctxOf(f.sw)),
        convening.invite(f.support, id, [{ kind: 'family-member', personId: f.dev }], ctxOf(f.support)),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!
        .reason as InvalidDetailsError;
      expect(refused.problems).toEqual([{ field: 'invitees.0.personId', message: 'Dev Mensah is already invited' }]);
      const rows = await ctx.services.database.db
        .select()
        .from(conferenceInvitees)
        .where(eq(conferenceInvitees.conferenceId, id));
      expect(rows).toHaveLength(1);
    });

    it('the unique index is the backstop: raced inserts without the check, and the service names the person when only the index catches it', async () => {
      const f = await siblingFixture(ctx, 'Jegede');
      const { convening } = ctx.services;
      const { id } = await convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      const row = {
        kind: 'family-member' as const,
        personId: f.grace,
        childId: null,
        professionalId: null,
        agencyId: null,
        directContact: false,
        interpreterLanguage: null,
      };
      // Two transactions insert the same person with no check and no lock: the index lets one through.
      const raced = await Promise.allSettled(
        [0, 1].map(() => ctx.services.uow.run(({ convening: repo }) => repo.insertInvitee(id, row))),
      );
      expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((raced.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
        AlreadyInvitedError,
      );
      expect(
        (
          await ctx.services.database.db
            .select()
            .from(conferenceInvitees)
            .where(eq(conferenceInvitees.conferenceId, id))
        ).length,
      ).toBe(1);

      // A service whose check cannot see the earlier invitation (as if it raced past it) still answers by name.
      const real = ctx.services.uow;
      const blind: UnitOfWork = {
        read: (fn) => real.read(fn),
        run: (fn) =>
          real.run((repos) => fn({ ...repos, convening: { ...repos.convening, listInvitees: async () => [] } })),
      };
      const service = new ConveningService({
        uow: blind,
        clock: ctx.clock,
        calendar: ctx.services.calendar,
        timescales: ctx.services.timescales,
        people: ctx.services.people,
        blobs: ctx.services.blobs,
      });
      expect(
        await problems(service.invite(f.sw, id, [{ kind: 'family-member', personId: f.grace }], ctxOf(f.sw))),
      ).toEqual({ 'invitees.0.personId': 'Grace Jegede is already invited' });
    });
  });

  describe('report blobs', () => {
    it('lists every key a report refers to, so a sweep deletes only files no report refers to', async () => {
      const f = await siblingFixture(ctx, 'Kalu');
      const { convening } = ctx.services;
      const { id } = await convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      const report = await convening.uploadReport(
        f.sw,
        id,
        { agencyId: f.agencies.school, content: PDF_BYTES },
        ctxOf(f.sw),
      );
      const referenced = await convening.referencedReportBlobKeys();
      expect(referenced.has(report.blobKey!)).toBe(true);
      const stray = await ctx.services.blobs.put(new Uint8Array([1, 2, 3]), { maxBytes: 10 });
      expect(orphanedKeys([report.blobKey!, stray.key], referenced)).toEqual([stray.key]);
    });
  });
});
