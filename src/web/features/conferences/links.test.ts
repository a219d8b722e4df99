import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { testApp } from '../../../../test/support/web.ts';
import {
  type SiblingFixture,
  clientFor,
  ctxOf,
  dateFields,
  initialInput,
  siblingFixture,
  summaryErrors,
} from '../../../../test/support/convening.ts';
import { markAdjourned } from '../../../../test/support/conference-links.ts';

const date = dateFields;

describe.each(testDatabases())(
  'reconvened conferences, issued invitations and interpreters on the web (%s)',
  (kind) => {
    let ctx: TestContext;
    let app: FastifyInstance;

    beforeAll(async () => {
      ctx = await createTestServices(kind);
      app = await testApp(ctx);
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    it('Q-1: convening from the child’s record offers “This conference reconvenes…”, and both pages show the link', async () => {
      const f: SiblingFixture = await siblingFixture(ctx, 'Lawal');
      const sw = await clientFor(ctx, app, f.sw);
      const { id: adjourned } = await ctx.services.convening.convene(
        f.sw,
        initialInput(f, { scheduledDate: '2026-03-02' }),
        ctxOf(f.sw),
      );
      await markAdjourned(ctx, adjourned, '2026-03-09' as IsoDate);
      expect((await sw.get(`/conferences/${adjourned}`)).body).toContain('This conference is to be reconvened.');

      await sw.get(`/conferences/new?child=${f.ava}`);
      await sw.get('/conferences/new/children');
      await sw.post('/conferences/new/children', { childIds: [f.ava, f.ben] });
      const type = await sw.get('/conferences/new/type');
      expect(type.body).toContain('Does this conference reconvene an earlier one?');
      expect(type.body).toContain('This conference reconvenes the Initial child protection conference on 2 March 2026');
      expect(type.body).toContain('Adjourned as not quorate: the chair set the new date, 9 March 2026.');
      // Another type: the error is on the type.
      let res = await sw.post('/conferences/new/type', {
        type: 'transfer-in',
        ...date('noticeOfMoveDate', '2026-02-27'),
        reconvenesConferenceId: adjourned,
      });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([
        {
          href: '#type',
          text: 'A reconvened conference is of the same type as the one it reconvenes: choose “Initial child protection conference”',
        },
      ]);
      res = await sw.post('/conferences/new/type', {
        type: 'initial',
        ...date('strategyDiscussionDate', '2026-02-27'),
        reconvenesConferenceId: adjourned,
      });
      expect(res.headers.location).toBe('/conferences/new/arrangements');
      await sw.get('/conferences/new/arrangements');
      res = await sw.post('/conferences/new/arrangements', {
        ...date('scheduledDate', '2026-03-09'),
        startTime: '10:00',
        durationMinutes: '120',
        venueKind: 'in-person',
        venueDetails: 'Room 2, Town Hall',
        chairUserId: f.chair.id,
        minuteTakerUserId: f.support.id,
      });
      expect(res.headers.location).toBe('/conferences/new/check');
      const check = await sw.get('/conferences/new/check');
      expect(check.body).toContain('Reconvenes');
      expect(check.body).toContain('The Initial child protection conference on 2 March 2026. Adjourned as not quorate');
      res = await sw.post('/conferences/new/check', {});
      const id = /^\/conferences\/([0-9a-f-]{36})$/.exec(String(res.headers.location))![1]!;

      const page = await sw.get(`/conferences/${id}`);
      expect(page.body).toMatch(
        new RegExp(
          `Reconvenes[\\s\\S]*<a class="govuk-link" href="/conferences/${adjourned}">Initial child protection conference on 2 March 2026</a>`,
        ),
      );
      const old = await sw.get(`/conferences/${adjourned}`);
      expect(old.body).toMatch(
        new RegExp(
          `Reconvened as[\\s\\S]*<a class="govuk-link" href="/conferences/${id}">Initial child protection conference on 9 March 2026</a>`,
        ),
      );
      expect(old.body).not.toContain('This conference is to be reconvened.');
      // No longer offered.
      await sw.get(`/conferences/new?child=${f.ava}`);
      await sw.post('/conferences/new/children', { childIds: [f.ava] });
      expect((await sw.get('/conferences/new/type')).body).not.toContain('This conference reconvenes');
    });

    it('asks whether each person needs an interpreter, requires the language, and shows it on the list and the register', async () => {
      const f = await siblingFixture(ctx, 'Musa');
      const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      const support = await clientFor(ctx, app, f.support);
      const url = `/conferences/${id}/invitations/new`;
      const form = await support.get(url);
      // Grace's record says Yoruba, interpreter needed: the form starts from that.
      expect(form.body).toMatch(new RegExp(`name="interpreterLanguage-${f.grace}"[^>]*value="Yoruba"`));
      let res = await support.post(url, {
        personIds: [f.grace, f.dev],
        childIds: f.ava,
        [`interpreterNeeded-${f.grace}`]: 'yes',
        [`interpreterLanguage-${f.grace}`]: 'Yoruba',
        [`interpreterNeeded-${f.dev}`]: 'yes',
        [`interpreterLanguage-${f.dev}`]: '',
      });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([
        { href: `#interpreterLanguage-${f.dev}`, text: 'Enter the language Dev Mensah needs an interpreter in' },
      ]);
      res = await support.post(url, {
        personIds: [f.grace, f.dev],
        childIds: f.ava,
        [`interpreterNeeded-${f.grace}`]: 'yes',
        [`interpreterLanguage-${f.grace}`]: 'Yoruba',
        [`interpreterNeeded-${f.dev}`]: 'yes',
        [`interpreterLanguage-${f.dev}`]: 'Twi',
      });
      expect(res.statusCode).toBe(303);
      const page = await support.get(`/conferences/${id}`);
      expect(page.body).toContain('Needs an interpreter: Yoruba');
      expect(page.body).toContain('Needs an interpreter: Twi');

      // Changed later, on its own page; the register shows it.
      const ava = (await ctx.services.convening.getConference(f.sw, id, ctxOf(f.sw))).invitees.find(
        (i) => i.childId === f.ava,
      )!;
      const needUrl = `/conferences/${id}/invitations/${ava.id}/interpreter`;
      res = await support.post(needUrl, { interpreterNeeded: 'yes', interpreterLanguage: '' }, { fromPage: needUrl });
      expect(summaryErrors(res.body)).toEqual([
        { href: '#interpreterLanguage', text: 'Enter the language Ava Musa needs an interpreter in' },
      ]);
      res = await support.post(
        needUrl,
        { interpreterNeeded: 'yes', interpreterLanguage: 'British Sign Language' },
        { fromPage: needUrl },
      );
      expect(res.statusCode).toBe(303);
      const chair = await clientFor(ctx, app, f.chair);
      const meeting = await chair.get(`/conferences/${id}/meeting`);
      const partId = /\/parts\/([0-9a-f-]{36})\/register/.exec(meeting.body)![1]!;
      const register = await chair.get(`/conferences/${id}/meeting/parts/${partId}/register`);
      expect(register.statusCode).toBe(200);
      expect(register.body).toContain('Child – needs an interpreter: British Sign Language');
      expect(register.body).toContain('needs an interpreter: Yoruba');

      // Already invited: told by name, even when the form is sent again.
      res = await support.post(url, { personIds: [f.grace] }, { fromPage: url });
      expect(summaryErrors(res.body)).toEqual([{ href: `#person-${f.grace}`, text: 'Grace Musa is already invited' }]);
    });

    it('after an invitation is recorded as sent, its pages show the copy kept as sent, and say when the record has changed since', async () => {
      const f = await siblingFixture(ctx, 'Nnamdi');
      const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      const [grace] = await ctx.services.convening.invite(
        f.sw,
        id,
        [{ kind: 'family-member', personId: f.grace }],
        ctxOf(f.sw),
      );
      const support = await clientFor(ctx, app, f.support);
      const base = `/conferences/${id}/invitations/${grace!.id}`;
      expect((await support.get(`${base}/letter`)).body).toContain('record it as sent');
      let res = await support.post(
        `${base}/sent`,
        { method: 'letter', ...date('sentOn', '2026-03-02') },
        { fromPage: `${base}/sent` },
      );
      expect(res.statusCode).toBe(303);

      const [issue] = (await ctx.services.convening.invitationContent(f.sw, id, grace!.id, ctxOf(f.sw))).issues;
      let letter = await support.get(`${base}/letter`);
      expect(letter.body).toContain('This is the invitation as it was sent');
      expect(letter.body).toContain(issue!.bodySha256);
      expect(letter.body).toContain('The conference will be audio recorded.');
      expect(letter.body).not.toContain('have changed since this invitation was sent');

      await ctx.services.database.execute("update conferences set start_time = '14:00' where id = $1", [id]);
      letter = await support.get(`${base}/letter`);
      expect(letter.body).toContain('have changed since this invitation was sent');
      expect(letter.body).toContain('The invitation as it reads now');
      const email = await support.get(`${base}/email`);
      expect(email.body).toContain('Message as sent');
      expect(email.body).toContain('at 2pm');

      res = await support.post(
        `${base}/sent`,
        { method: 'email', ...date('sentOn', '2026-03-02') },
        { fromPage: `${base}/sent` },
      );
      expect(res.statusCode).toBe(303);
      letter = await support.get(`${base}/letter`);
      expect(letter.body).not.toContain('have changed since this invitation was sent');
      expect(letter.body).toContain('Every copy sent');
      const first = await support.get(`${base}/issues/${issue!.id}`);
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('A later copy was sent after this one (copy 2).');
      expect(first.body).toContain('at 10am');
      expect((await support.get(`/conferences/${id}`)).body).toContain('Email, 2 March 2026 (sent 2 times)');
    });
  },
);
