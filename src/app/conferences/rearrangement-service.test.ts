import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import { AccessDeniedError, DomainError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { cancellationNotices, conferenceChanges, invitationDispatches } from '../../infra/db/lifecycle-schema.ts';
import { outboxMessages } from '../../infra/db/mail-schema.ts';
import { conferenceParts, conferences, invitationIssues } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type SiblingFixture, ctxOf, initialInput, markHeld, siblingFixture } from '../../../test/support/convening.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { RearrangeInput } from './rearrangement-service.ts';

async function problemFields(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => x.field);
    throw err;
  }
  throw new Error('expected InvalidDetailsError');
}

/** The arrangements of `initialInput`, as a change would send them. */
const same: RearrangeInput = {
  scheduledDate: '2026-03-16',
  startTime: '10:00',
  durationMinutes: 120,
  venueKind: 'hybrid',
  venueDetails: 'Room 2, Town Hall\nLuton',
  onlineLink: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
};

describe.each(testDatabases())('rearranging, cancelling and recording conferences afterwards (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** A planned initial conference (16 March 2026, T-1 due 20 March) with Grace (email), Dev (no email) and the teacher (email) invited and sent letters. */
  async function convened(opts: { sent?: boolean } = {}) {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const sent = opts.sent === false ? undefined : { method: 'letter', sentOn: '2026-03-02' };
    const invitees = await ctx.services.convening.invite(
      f.support,
      id,
      [
        { kind: 'family-member', personId: f.grace, interpreterNeeded: false, ...(sent ? { sent } : {}) },
        { kind: 'family-member', personId: f.dev, ...(sent ? { sent } : {}) },
        { kind: 'professional', professionalId: f.teacher, directContact: true, ...(sent ? { sent } : {}) },
      ],
      ctxOf(f.support),
    );
    const byName = (name: string) => invitees.find((i) => i.name.startsWith(name))!.id;
    return { id, grace: byName('Grace'), dev: byName('Dev'), teacher: byName('Tess') };
  }

  const outboxFor = async (conferenceId: string) =>
    (
      await ctx.services.database.db
        .select()
        .from(outboxMessages)
        .where(and(eq(outboxMessages.subjectType, 'conference'), eq(outboxMessages.subjectId, conferenceId)))
    ).map((m) => ({ template: m.templateKey, to: m.toAddress, state: m.state }));

  describe('changing the date, time or venue', () => {
    it('moves the conference within T-1, re-invites everyone already invited with a new numbered copy, and keeps what changed, from what to what, who and why', async () => {
      const c = await convened();
      const r = await ctx.services.rearrangement.rearrange(
        f.support,
        c.id,
        { ...same, scheduledDate: '2026-03-18', startTime: '14:00', reason: 'The chair is ill on the 16th' },
        ctxOf(f.support),
      );
      expect(r.assessment.withinTimescale).toBe(true);
      expect(r.changes.map((x) => [x.label, x.from, x.to])).toEqual([
        ['Date', 'Monday 16 March 2026', 'Wednesday 18 March 2026'],
        ['Start time', '10am', '2pm'],
      ]);
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, c.id));
      expect(row).toMatchObject({
        scheduledDate: '2026-03-18',
        startTime: '14:00',
        status: 'planned',
        lateAgreedBy: null,
      });

      // Everyone already invited has issue 2, with the new date in the text; issue 1 is kept as it was.
      const issues = await ctx.services.database.db
        .select()
        .from(invitationIssues)
        .where(eq(invitationIssues.conferenceId, c.id));
      for (const who of [c.grace, c.dev, c.teacher]) {
        const mine = issues.filter((i) => i.inviteeId === who).sort((a, b) => a.issueNumber - b.issueNumber);
        expect(mine.map((i) => i.issueNumber)).toEqual([1, 2]);
        expect(mine[0]!.body).toContain('Monday 16 March 2026');
        expect(mine[1]!.body).toContain('Wednesday 18 March 2026');
        expect(mine[1]!.body).toContain('The conference will be recorded');
      }
      // Grace and the teacher have email addresses: emailed; Dev has none: his letter is to be posted.
      expect((await outboxFor(c.id)).map((m) => [m.template, m.to]).sort()).toEqual([
        ['conference-changed', 'grace@example.com'],
        ['conference-changed', 'tess@school.example'],
      ]);
      const dispatches = await ctx.services.database.db
        .select()
        .from(invitationDispatches)
        .where(eq(invitationDispatches.conferenceId, c.id));
      expect(dispatches.map((d) => d.method).sort()).toEqual(['email', 'email', 'post']);
      const life = await ctx.services.rearrangement.lifecycle(f.chair, c.id, ctxOf(f.chair));
      expect(life.sending.find((s) => s.inviteeId === c.dev)).toMatchObject({ state: 'to-post', issueNumber: 2 });
      expect(life.sending.find((s) => s.inviteeId === c.grace)).toMatchObject({ state: 'sent', issueNumber: 2 });

      const [change] = await ctx.services.database.db
        .select()
        .from(conferenceChanges)
        .where(eq(conferenceChanges.conferenceId, c.id));
      expect(change).toMatchObject({
        kind: 'rearranged',
        reason: 'The chair is ill on the 16th',
        changedByUserId: f.support.id,
        changedByLabel: f.support.name,
      });
      expect((await auditRows(ctx, 'conference.rearrange')).filter((a) => a.subjectId === c.id)).toEqual([
        expect.objectContaining({
          outcome: 'success',
          details: expect.objectContaining({
            fields: ['scheduledDate', 'startTime'],
            dueRule: 'T-1',
            withinTimescale: true,
            reinvited: 3,
          }),
        }),
      ]);
    });

    it('T-1: a new date after the due date needs the senior manager who agreed it and the reason, then keeps them', async () => {
      const c = await convened();
      const late = { ...same, scheduledDate: '2026-03-24', reason: 'Family on holiday' };
      expect(
        await problemFields(ctx.services.rearrangement.rearrange(f.support, c.id, late, ctxOf(f.support))),
      ).toEqual(['lateAgreedBy', 'lateReason']);
      const r = await ctx.services.rearrangement.rearrange(
        f.support,
        c.id,
        { ...late, lateAgreedBy: 'Jo Head, head of service', lateReason: 'Parents away; agreed to keep them involved' },
        ctxOf(f.support),
      );
      expect(r.assessment.withinTimescale).toBe(false);
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, c.id));
      expect(row).toMatchObject({ scheduledDate: '2026-03-24', lateAgreedBy: 'Jo Head, head of service' });
      const [change] = await ctx.services.database.db
        .select()
        .from(conferenceChanges)
        .where(eq(conferenceChanges.conferenceId, c.id));
      expect(change).toMatchObject({
        lateAgreedBy: 'Jo Head, head of service',
        lateReason: 'Parents away; agreed to keep them involved',
      });
    });

    it('checks the new arrangements as at convening, asks for a reason and a real change, and saves nothing on a problem', async () => {
      const c = await convened();
      expect(
        await problemFields(
          ctx.services.rearrangement.rearrange(
            f.support,
            c.id,
            { ...same, scheduledDate: '2026-02-27', startTime: '25:00', reason: '' },
            ctxOf(f.support),
          ),
        ),
      ).toEqual(['scheduledDate', 'startTime', 'reason']);
      expect(
        await problemFields(
          ctx.services.rearrangement.rearrange(
            f.support,
            c.id,
            { ...same, reason: 'No change really' },
            ctxOf(f.support),
          ),
        ),
      ).toEqual(['scheduledDate']);
      expect(
        await ctx.services.database.db.select().from(conferenceChanges).where(eq(conferenceChanges.conferenceId, c.id)),
      ).toEqual([]);
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, c.id));
      expect(row).toMatchObject({ scheduledDate: '2026-03-16', version: 1 });
    });

    it('follows a new length in the whole-conference part', async () => {
      const c = await convened();
      await ctx.services.rearrangement.rearrange(
        f.support,
        c.id,
        { ...same, durationMinutes: 90, reason: 'Shorter agenda' },
        ctxOf(f.support),
      );
      const parts = await ctx.services.database.db
        .select()
        .from(conferenceParts)
        .where(eq(conferenceParts.conferenceId, c.id));
      expect(parts.map((p) => p.durationMinutes)).toEqual([90]);
    });

    it('is refused once the conference is held, with a clear message', async () => {
      const c = await convened();
      await markHeld(ctx, c.id);
      await expect(
        ctx.services.rearrangement.rearrange(
          f.support,
          c.id,
          { ...same, scheduledDate: '2026-03-18', reason: 'x' },
          ctxOf(f.support),
        ),
      ).rejects.toThrow('This conference has been held: its date, time or venue can no longer be changed');
      await expect(
        ctx.services.rearrangement.cancel(f.support, c.id, { reason: 'x' }, ctxOf(f.support)),
      ).rejects.toThrow('This conference has been held: it can no longer be cancelled');
    });

    it('is denied, and the denial audited, for someone who may not change every child’s record', async () => {
      const c = await convened();
      const other = await staff(ctx, 'Olu Other', ['social_worker']);
      await expect(
        ctx.services.rearrangement.rearrange(
          other,
          c.id,
          { ...same, scheduledDate: '2026-03-18', reason: 'x' },
          ctxOf(other),
        ),
      ).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(
        ctx.services.rearrangement.cancel(other, c.id, { reason: 'x' }, ctxOf(other)),
      ).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(ctx.services.rearrangement.sendAllByEmail(other, c.id, ctxOf(other))).rejects.toBeInstanceOf(
        AccessDeniedError,
      );
      const denials = (await auditRows(ctx))
        .filter((a) => a.subjectId === c.id && a.outcome === 'denied')
        .map((a) => a.action);
      expect(denials).toEqual(['conference.rearrange', 'conference.cancel', 'conference.invitation.email']);
    });
  });

  describe('cancelling', () => {
    it('cancels with a reason, gives everyone sent an invitation a notice (emailed where they have an address) and keeps who and when', async () => {
      const c = await convened();
      expect(
        await problemFields(ctx.services.rearrangement.cancel(f.support, c.id, { reason: '  ' }, ctxOf(f.support))),
      ).toEqual(['reason']);
      await ctx.services.rearrangement.cancel(
        f.support,
        c.id,
        { reason: 'The family has moved to another council' },
        ctxOf(f.support),
      );
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, c.id));
      expect(row).toMatchObject({ status: 'cancelled', cancelledReason: 'The family has moved to another council' });
      const notices = await ctx.services.database.db
        .select()
        .from(cancellationNotices)
        .where(eq(cancellationNotices.conferenceId, c.id));
      expect(notices.map((x) => [x.inviteeId, x.method, x.recipientEmail]).sort()).toEqual(
        [
          [c.grace, 'email', 'grace@example.com'],
          [c.dev, 'post', null],
          [c.teacher, 'email', 'tess@school.example'],
        ].sort(),
      );
      // The reason is on the record, never in the notice.
      expect(notices.every((x) => !x.body.includes('moved') && x.body.includes('has been cancelled'))).toBe(true);
      expect((await outboxFor(c.id)).map((m) => m.template)).toEqual(['conference-cancelled', 'conference-cancelled']);
      const life = await ctx.services.rearrangement.lifecycle(f.chair, c.id, ctxOf(f.chair));
      expect(life.cancellation).toMatchObject({
        reason: 'The family has moved to another council',
        changedBy: { id: f.support.id, name: f.support.name },
      });
      expect(life.sending.find((s) => s.inviteeId === c.dev)?.notice).toEqual({ state: 'to-post', label: 'To post' });
      // The letter to Dev is recorded as posted.
      expect(await ctx.services.rearrangement.recordAllPosted(f.support, c.id, ctxOf(f.support))).toEqual({
        posted: 1,
      });
      expect(
        (await ctx.services.rearrangement.lifecycle(f.chair, c.id, ctxOf(f.chair))).sending.find(
          (s) => s.inviteeId === c.dev,
        )?.notice,
      ).toEqual({ state: 'posted', label: 'Posted' });
      await expect(
        ctx.services.rearrangement.rearrange(
          f.support,
          c.id,
          { ...same, scheduledDate: '2026-03-18', reason: 'x' },
          ctxOf(f.support),
        ),
      ).rejects.toThrow('This conference has been cancelled');
    });

    it('T-1: a cancelled conference no longer counts as upcoming or overdue, each child’s record gets a case note, and the children still need a conference (on the page and the dashboards) until another is convened', async () => {
      const g = await siblingFixture(ctx, 'Cancelled');
      const { id } = await ctx.services.convening.convene(
        g.sw,
        initialInput(g, { scheduledDate: '2026-03-13' }),
        ctxOf(g.sw),
      );
      const upcoming = async () =>
        (
          await ctx.services.dashboards.view(g.support, { section: 'upcoming' }, ctxOf(g.support))
        ).sections[0]!.items.map((i) => i.conference.id);
      expect(await upcoming()).toContain(id);
      await ctx.services.rearrangement.cancel(
        g.support,
        id,
        { reason: 'Chair unavailable; to be rebooked' },
        ctxOf(g.support),
      );
      expect(await upcoming()).not.toContain(id);
      const overdue = (
        await ctx.services.dashboards.view(g.support, { section: 'overdue' }, ctxOf(g.support))
      ).sections[0]!.items.map((i) => i.conference.id);
      expect(overdue).not.toContain(id);
      const life = await ctx.services.rearrangement.lifecycle(g.support, id, ctxOf(g.support));
      expect(life.stillNeeded).toMatchObject({
        deadline: { ruleId: 'T-1', due: '2026-03-20' },
        status: 'on-track',
        workingDaysLeft: 14,
      });
      expect(await ctx.services.rearrangement.stillNeededForChild(g.support, g.ben, ctxOf(g.support))).toEqual([
        expect.objectContaining({ conferenceId: id, status: 'on-track' }),
      ]);
      // The dashboards list it as needing a new conference, by the same due date and status as the conference page.
      const cancelledOnDashboard = async () =>
        (
          await ctx.services.dashboards.view(g.support, { section: 'cancelled' }, ctxOf(g.support))
        ).sections[0]!.items.filter((i) => i.conference.id === id);
      expect(await cancelledOnDashboard()).toEqual([
        expect.objectContaining({
          section: 'cancelled',
          status: 'on-track',
          due: expect.objectContaining({ ruleId: 'T-1', due: '2026-03-20', workingDaysLeft: 14 }),
        }),
      ]);
      // Each child's record has a case note saying so, with the staff-only reason (case notes are never shown to the family).
      for (const child of [g.ava, g.ben]) {
        const notes = (await ctx.services.people.listCaseNotes(g.support, child, ctxOf(g.support))).filter(
          (n) => n.kind === 'conference-cancelled',
        );
        expect(notes.map((n) => n.text)).toEqual([
          'The initial child protection conference of Friday 13 March 2026 was cancelled. Reason: Chair unavailable; to be rebooked\nA new initial child protection conference is needed by Friday 20 March 2026.',
        ]);
        expect(notes[0]!.authorLabel).toBe(g.support.name);
      }
      await ctx.services.convening.convene(g.sw, initialInput(g, { scheduledDate: '2026-03-19' }), ctxOf(g.sw));
      expect((await ctx.services.rearrangement.lifecycle(g.support, id, ctxOf(g.support))).stillNeeded).toBeNull();
      expect(await ctx.services.rearrangement.stillNeededForChild(g.support, g.ben, ctxOf(g.support))).toEqual([]);
      expect(await cancelledOnDashboard()).toEqual([]);
    });
  });

  describe('recording a conference held without being booked', () => {
    it('takes a past date and the reason, then the chair holds it as any other: opening and the register work', async () => {
      const g = await siblingFixture(ctx, 'Afterwards');
      const input = { ...initialInput(g), scheduledDate: '2026-02-27', strategyDiscussionDate: '2026-02-20' };
      expect(
        await problemFields(
          ctx.services.rearrangement.recordAfterwards(g.sw, { ...input, scheduledDate: '2026-03-09' }, ctxOf(g.sw)),
        ),
      ).toEqual(['scheduledDate', 'afterwardsReason']);
      const { id } = await ctx.services.rearrangement.recordAfterwards(
        g.sw,
        { ...input, afterwardsReason: 'Held as an emergency when the system was down' },
        ctxOf(g.sw),
      );
      const life = await ctx.services.rearrangement.lifecycle(g.chair, id, ctxOf(g.chair));
      expect(life.recordedAfterwards).toMatchObject({
        kind: 'recorded-afterwards',
        reason: 'Held as an emergency when the system was down',
      });
      expect((await auditRows(ctx, 'conference.record-afterwards')).filter((a) => a.subjectId === id)).toHaveLength(1);

      const opened = await ctx.services.meeting.openConference(
        g.chair,
        id,
        { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:02' },
        ctxOf(g.chair),
      );
      expect(opened.status).toBe('in-progress');
    });
  });

  describe('sending invitations by email, and recording letters as posted', () => {
    it('emails everyone with an address not yet sent the current invitation, shows each person’s status from the mail delivery, and records the rest as posted', async () => {
      const c = await convened({ sent: false });
      expect((await ctx.services.rearrangement.lifecycle(f.support, c.id, ctxOf(f.support))).toEmail).toBe(2);
      expect(await ctx.services.rearrangement.sendAllByEmail(f.support, c.id, ctxOf(f.support))).toEqual({
        emailed: 2,
        alreadySent: 0,
        withoutEmail: 1,
      });
      const mail = await ctx.services.database.db
        .select()
        .from(outboxMessages)
        .where(eq(outboxMessages.subjectId, c.id));
      expect(mail.map((m) => m.templateKey)).toEqual(['conference-invitation', 'conference-invitation']);
      // the email carries the letter, with the notice that the conference is recorded.
      expect(mail.every((m) => m.body.includes('The conference will be audio recorded'))).toBe(true);
      let life = await ctx.services.rearrangement.lifecycle(f.support, c.id, ctxOf(f.support));
      expect(life.sending.find((s) => s.inviteeId === c.grace)).toMatchObject({
        state: 'sent',
        label: 'Email sent',
        issueNumber: 1,
      });
      expect(life.sending.find((s) => s.inviteeId === c.dev)).toMatchObject({ state: 'not-sent' });

      // A delivery that failed shows as failed, and sending again sends only to that person.
      const teacherMessage = (
        await ctx.services.database.db
          .select()
          .from(outboxMessages)
          .where(and(eq(outboxMessages.subjectId, c.id), eq(outboxMessages.toAddress, 'tess@school.example')))
      )[0]!;
      await ctx.services.database.db
        .update(outboxMessages)
        .set({ state: 'failed' })
        .where(eq(outboxMessages.id, teacherMessage.id));
      life = await ctx.services.rearrangement.lifecycle(f.support, c.id, ctxOf(f.support));
      expect(life.sending.find((s) => s.inviteeId === c.teacher)).toMatchObject({
        state: 'failed',
        label: 'Email failed',
      });
      expect(await ctx.services.rearrangement.sendAllByEmail(f.support, c.id, ctxOf(f.support))).toEqual({
        emailed: 1,
        alreadySent: 1,
        withoutEmail: 1,
      });

      expect(await ctx.services.rearrangement.recordAllPosted(f.support, c.id, ctxOf(f.support))).toEqual({
        posted: 1,
      });
      life = await ctx.services.rearrangement.lifecycle(f.support, c.id, ctxOf(f.support));
      expect(life.sending.find((s) => s.inviteeId === c.dev)).toMatchObject({ state: 'posted', issueNumber: 1 });
      await expect(
        ctx.services.rearrangement.recordAllPosted(f.support, c.id, ctxOf(f.support)),
      ).rejects.toBeInstanceOf(DomainError);
      expect((await auditRows(ctx, 'conference.invitation.email')).filter((a) => a.subjectId === c.id)).toHaveLength(2);
      expect((await auditRows(ctx, 'conference.invitation.posted')).filter((a) => a.subjectId === c.id)).toHaveLength(
        1,
      );
    });
  });
});
