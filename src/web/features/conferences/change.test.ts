import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conferenceChanges } from '../../../infra/db/lifecycle-schema.ts';
import { outboxMessages } from '../../../infra/db/mail-schema.ts';
import { conferences } from '../../../infra/db/schema.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { type WebClient, testApp } from '../../../../test/support/web.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import {
  type SiblingFixture,
  clientFor,
  ctxOf,
  dateFields,
  initialInput,
  siblingFixture,
  summaryErrors,
} from '../../../../test/support/convening.ts';

describe.each(testDatabases())(
  'changing, cancelling and sending a conference’s invitations on the web (%s)',
  (kind) => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let f: SiblingFixture;
    let support: WebClient;

    beforeAll(async () => {
      ctx = await createTestServices(kind);
      app = await testApp(ctx);
      f = await siblingFixture(ctx);
      support = await clientFor(ctx, app, f.support);
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    async function convened(sent = true, g: SiblingFixture = f): Promise<string> {
      const { id } = await ctx.services.convening.convene(g.sw, initialInput(g), ctxOf(g.sw));
      const how = sent ? { sent: { method: 'letter', sentOn: '2026-03-02' } } : {};
      await ctx.services.convening.invite(
        f.support,
        id,
        [
          { kind: 'family-member', personId: g.grace, interpreterNeeded: false, ...how },
          { kind: 'family-member', personId: g.dev, ...how },
        ],
        ctxOf(f.support),
      );
      return id;
    }

    const arrangements = (over: Record<string, string> = {}) => ({
      ...dateFields('scheduledDate', '2026-03-18'),
      startTime: '2pm',
      durationMinutes: '120',
      venueKind: 'hybrid',
      hybridVenueDetails: 'Room 2, Town Hall\nLuton',
      hybridOnlineLink: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      reason: 'The chair is ill on the 16th',
      ...over,
    });

    it('changes the date and time: the form starts from the conference, errors go on their fields, check answers, then a success banner and the change on the record', async () => {
      const id = await convened();
      const page = await support.get(`/conferences/${id}`);
      expect(page.body).toContain(`href="/conferences/${id}/change"`);
      expect(page.body).toContain(`href="/conferences/${id}/cancel"`);

      const form = await support.get(`/conferences/${id}/change`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('value="16"');

      // T-1: after the due date without the senior manager's agreement; no reason; everything typed kept.
      let res = await support.post(
        `/conferences/${id}/change`,
        arrangements({ ...dateFields('scheduledDate', '2026-03-24'), reason: '' }),
      );
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body).map((e) => e.href)).toEqual(['#lateAgreedBy', '#lateReason', '#reason']);
      expect(res.body).toContain('value="24"');
      expect(res.body).toContain('Error: Change the date, time or venue');

      res = await support.post(`/conferences/${id}/change`, arrangements());
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Check the change before confirming it');
      expect(res.body).toContain('Now: Wednesday 18 March 2026');
      expect(res.body).toContain('Was: Monday 16 March 2026');
      expect(res.body).toContain('By email, now');
      expect(res.body).toContain('By post: a letter to print and post');
      // Nothing is saved before it is confirmed.
      expect(
        await ctx.services.database.db.select().from(conferenceChanges).where(eq(conferenceChanges.conferenceId, id)),
      ).toEqual([]);

      // "Change your answers" goes back to the form with everything typed.
      res = await support.post(`/conferences/${id}/change/confirm`, { ...arrangements(), action: 'edit' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('The chair is ill on the 16th');

      await support.post(`/conferences/${id}/change`, arrangements());
      res = await support.post(`/conferences/${id}/change/confirm`, { ...arrangements(), action: 'confirm' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/conferences/${id}`);
      const after = await support.get(`/conferences/${id}`);
      expect(after.body).toContain('Conference changed');
      expect(after.body).toContain('Changes to this conference');
      expect(after.body).toContain('Date: was Monday 16 March 2026, now Wednesday 18 March 2026');
      expect(after.body).toContain('The chair is ill on the 16th');
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, id));
      expect(row).toMatchObject({ scheduledDate: '2026-03-18', startTime: '14:00' });
    });

    it('cancels with a reason after checking, tells the people invited, and shows the conference cancelled with the timescale still to meet (T-1)', async () => {
      // A family of its own: another conference planned for the same children would meet the need.
      const g = await siblingFixture(ctx, 'Cancelling');
      const id = await convened(true, g);
      let res = await support.post(
        `/conferences/${id}/cancel`,
        { reason: '' },
        { fromPage: `/conferences/${id}/cancel` },
      );
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([{ href: '#reason', text: 'Enter why the conference is cancelled' }]);
      res = await support.post(`/conferences/${id}/cancel`, { reason: 'The family has moved away' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Check the cancellation before confirming it');
      expect(res.body).toContain('Grace Cancelling');
      res = await support.post(`/conferences/${id}/cancel/confirm`, {
        reason: 'The family has moved away',
        action: 'confirm',
      });
      expect(res.headers.location).toBe(`/conferences/${id}`);
      const page = await support.get(`/conferences/${id}`);
      expect(page.body).toContain('Conference cancelled');
      expect(page.body).toContain('Reason: The family has moved away');
      expect(page.body).toContain('A new initial child protection conference is still needed, by Friday 20 March 2026');
      expect(page.body).not.toContain(`href="/conferences/${id}/change"`);
      // The child's list of conferences says so too.
      expect((await support.get(`/conferences/by-child/${g.ava}`)).body).toContain(
        'Cancelled: a new conference is still needed, by Friday 20 March 2026',
      );
      expect(
        (await ctx.services.database.db.select().from(outboxMessages).where(eq(outboxMessages.subjectId, id))).map(
          (m) => m.templateKey,
        ),
      ).toEqual(['conference-cancelled']);
      // The letter to post to Dev, who has no email address, can be read and printed; reading it is audited.
      expect(page.body).toContain('Cancellation notices: emailed, or letters to post');
      const letters = await support.get(`/conferences/${id}/invitations/send`);
      const noticeHref = /href="(\/conferences\/[^"]+\/cancellation-notices\/[^"]+)"/.exec(letters.body)?.[1];
      expect(noticeHref).toBeDefined();
      const notice = await support.get(noticeHref!);
      expect(notice.statusCode).toBe(200);
      expect(notice.body).toContain('has been cancelled. It will not take place');
      expect(notice.body).not.toContain('moved away');
      expect((await auditRows(ctx, 'conference.cancellation.view')).filter((a) => a.subjectId === id)).toHaveLength(1);
      expect(
        (
          await support.post(
            `/conferences/${id}/invitations/send/posted`,
            {},
            { fromPage: `/conferences/${id}/invitations/send` },
          )
        ).statusCode,
      ).toBe(303);
      // Once cancelled, the change and cancel pages say so instead of showing a form.
      expect((await support.get(`/conferences/${id}/change`)).statusCode).toBe(409);
      const again = await support.get(`/conferences/${id}/cancel`);
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('This conference is cancelled: it can no longer be cancelled');
    });

    it('sends all by email and records the rest as posted, with each person’s status', async () => {
      const id = await convened(false);
      const page = await support.get(`/conferences/${id}/invitations/send`);
      expect(page.body).toContain('Send all by email (1)');
      expect(page.body).toContain('Record all as posted (1)');
      let res = await support.post(`/conferences/${id}/invitations/send/email`, {});
      expect(res.headers.location).toBe(`/conferences/${id}/invitations/send`);
      res = await support.get(`/conferences/${id}/invitations/send`);
      expect(res.body).toContain('Invitations sent by email');
      expect(res.body).toContain('Email sent (copy 1)');
      res = await support.post(`/conferences/${id}/invitations/send/posted`, {});
      expect(res.statusCode).toBe(303);
      res = await support.get(`/conferences/${id}/invitations/send`);
      expect(res.body).toContain('Posted (copy 1)');
      // Nothing left to post: said on the page, with status 400.
      res = await support.post(`/conferences/${id}/invitations/send/posted`, {});
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)[0]?.href).toBe('#invitations-to-send');
      expect(res.body).toContain('id="invitations-to-send"');
    });

    it('records a conference held without being booked: a future date and a missing reason are refused with everything kept, then the chair can hold it', async () => {
      const g = await siblingFixture(ctx, 'Afterwards');
      const sw = await clientFor(ctx, app, g.sw);
      const list = await sw.get(`/conferences/by-child/${g.ava}`);
      expect(list.body).toContain(`href="/conferences/afterwards?child=${g.ava}"`);
      const form = await sw.get(`/conferences/afterwards?child=${g.ava}`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('Ben Afterwards');
      const answers = {
        child: g.ava,
        childIds: [g.ava, g.ben],
        type: 'initial',
        ...dateFields('strategyDiscussionDate', '2026-02-20'),
        ...dateFields('scheduledDate', '2026-03-09'),
        startTime: '10:00',
        durationMinutes: '90',
        venueKind: 'in-person',
        venueDetails: 'Room 1, Civic Centre',
        chairUserId: g.chair.id,
        minuteTakerUserId: g.support.id,
        afterwardsReason: '',
      };
      let res = await sw.post('/conferences/afterwards', answers);
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body).map((e) => e.href)).toEqual(['#scheduledDate-day', '#afterwardsReason']);
      expect(res.body).toContain('Room 1, Civic Centre');
      res = await sw.post('/conferences/afterwards', {
        ...answers,
        ...dateFields('scheduledDate', '2026-02-27'),
        afterwardsReason: 'Held in an emergency',
      });
      expect(res.statusCode).toBe(303);
      const page = await sw.get(res.headers.location as string);
      expect(page.body).toContain('Conference recorded');
      expect(page.body).toContain('Reason: Held in an emergency');
      const chair = await clientFor(ctx, app, g.chair);
      expect((await chair.get(res.headers.location as string)).body).toContain('Hold the conference');
      expect((await sw.post('/conferences/afterwards', answers, { csrf: false })).statusCode).toBe(403);
    });

    it('refuses every form without its CSRF token, and denies (and audits) someone who may not change the children’s records', async () => {
      const id = await convened();
      for (const url of [
        `/conferences/${id}/change`,
        `/conferences/${id}/change/confirm`,
        `/conferences/${id}/cancel`,
        `/conferences/${id}/cancel/confirm`,
        `/conferences/${id}/invitations/send/email`,
        `/conferences/${id}/invitations/send/posted`,
      ]) {
        expect((await support.post(url, { reason: 'x' }, { csrf: false })).statusCode).toBe(403);
      }
      const other = await staff(ctx, 'Oona Outsider', ['social_worker']);
      const outsider = await clientFor(ctx, app, other);
      expect((await outsider.get(`/conferences/${id}/change`)).statusCode).toBe(403);
      await outsider.get('/');
      expect(
        (await outsider.post(`/conferences/${id}/cancel/confirm`, { reason: 'x', action: 'confirm' })).statusCode,
      ).toBe(403);
      expect((await outsider.post(`/conferences/${id}/invitations/send/email`, {})).statusCode).toBe(403);
      const denied = (await auditRows(ctx))
        .filter((a) => a.subjectId === id && a.outcome === 'denied')
        .map((a) => a.action);
      expect(denied).toEqual(
        expect.arrayContaining(['conference.view', 'conference.cancel', 'conference.invitation.email']),
      );
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, id));
      expect(row?.status).toBe('planned');
      // QA managers may read the conference but not change it.
      const qa = await clientFor(ctx, app, await staff(ctx, 'Quinn QA', ['qa_manager']));
      expect((await qa.get(`/conferences/${id}/change`)).statusCode).toBe(403);
    });
  },
);
