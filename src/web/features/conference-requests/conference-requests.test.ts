import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import {
  type SiblingFixture,
  clientFor,
  ctxOf,
  dateFields,
  initialInput,
  markHeld,
  siblingFixture,
  summaryErrors,
} from '../../../../test/support/convening.ts';
import { addChild, auditRows, staff } from '../../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { type WebClient, testApp } from '../../../../test/support/web.ts';

describe.each(testDatabases())(
  'why a conference is held, and professionals asking for one, on the web (%s)',
  (kind) => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let f: SiblingFixture;
    let tm: Actor;
    let sw: WebClient;
    let tmClient: WebClient;

    beforeAll(async () => {
      ctx = await createTestServices(kind);
      app = await testApp(ctx);
      f = await siblingFixture(ctx, 'Webasks');
      tm = await staff(ctx, 'Tam Manager', ['team_manager']);
      sw = await clientFor(ctx, app, f.sw);
      tmClient = await clientFor(ctx, app, tm);
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    const arrangement = (date: string) => ({
      ...dateFields('scheduledDate', date),
      startTime: '10:00',
      durationMinutes: '120',
      venueKind: 'online',
      onlineLink: 'https://teams.microsoft.com/meet/123',
      chairUserId: f.chair.id,
      minuteTakerUserId: f.support.id,
    });

    it('002 §1.3: the type step asks the grounds for a pre-birth conference and whether a premature birth is likely; both reach the conference page', async () => {
      const baby = await addChild(ctx, f.sw, {
        givenNames: 'Baby',
        familyName: 'Webasks',
        dateOfBirth: null,
        expectedDeliveryDate: '2026-08-20',
      });
      await sw.get(`/conferences/new?child=${baby}`);
      await sw.post('/conferences/new/children', { childIds: [baby] }, { fromPage: '/conferences/new/children' });
      const type = await sw.get('/conferences/new/type');
      expect(type.body).toContain('Why is a pre-birth conference being held?');
      let res = await sw.post('/conferences/new/type', {
        type: 'pre-birth',
        ...dateFields('expectedDeliveryDate', '2026-08-20'),
      });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([
        { href: '#preBirthGrounds', text: 'Select the grounds for holding a pre-birth conference' },
      ]);
      res = await sw.post('/conferences/new/type', {
        type: 'pre-birth',
        ...dateFields('expectedDeliveryDate', '2026-08-20'),
        preBirthGrounds: ['previous-children-removed', 'risk-in-household'],
        prematureBirthLikely: 'yes',
      });
      expect(res.headers.location).toBe('/conferences/new/arrangements');
      const arrangements = await sw.get('/conferences/new/arrangements');
      // 002 §1.3: the window ends at 20 weeks (2 April 2026), not 24 (30 April).
      expect(arrangements.body).toContain('and 2 April 2026');
      res = await sw.post('/conferences/new/arrangements', arrangement('2026-03-16'));
      expect(res.headers.location).toBe('/conferences/new/check');
      const check = await sw.get('/conferences/new/check');
      expect(check.body).toContain('Grounds for a pre-birth conference');
      expect(check.body).toContain('Yes: the conference is held earlier');
      res = await sw.post('/conferences/new/check', {});
      const page = await sw.get(res.headers.location as string);
      expect(page.body).toContain('Earlier children were removed from the family through court proceedings');
      expect(page.body).toContain('Premature birth likely');
    });

    it('002 §2.2: a review well before it is due goes to a step asking why it is brought forward, shown on the conference and in the child’s conferences', async () => {
      const { id: initial } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      await markHeld(ctx, initial);
      await sw.get(`/conferences/new?child=${f.ava}`);
      await sw.post(
        '/conferences/new/children',
        { childIds: [f.ava, f.ben] },
        { fromPage: '/conferences/new/children' },
      );
      await sw.post(
        '/conferences/new/type',
        { type: 'review', previousConferenceId: initial },
        { fromPage: '/conferences/new/type' },
      );
      let res = await sw.post('/conferences/new/arrangements', arrangement('2026-04-20'), {
        fromPage: '/conferences/new/arrangements',
      });
      expect(res.headers.location).toBe('/conferences/new/timescale');
      const step = await sw.get('/conferences/new/timescale');
      expect(step.body).toContain('The review is being brought forward');
      expect(step.body).not.toContain('Senior manager who agreed the date');
      res = await sw.post('/conferences/new/timescale', { broughtForwardReason: 'other', broughtForwardOther: '' });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([
        { href: '#broughtForwardOther', text: 'Enter why the review is being brought forward' },
      ]);
      res = await sw.post('/conferences/new/timescale', { broughtForwardReason: 'plan-difficulties' });
      expect(res.headers.location).toBe('/conferences/new/check');
      res = await sw.post('/conferences/new/check', {}, { fromPage: '/conferences/new/check' });
      const page = await sw.get(res.headers.location as string);
      expect(page.body).toContain('Why the review was brought forward');
      expect(page.body).toContain('There are difficulties carrying out the child protection plan');
      const history = await sw.get(`/conferences/by-child/${f.ava}`);
      expect(history.body).toContain('Brought forward: There are difficulties carrying out the child protection plan');
    });

    it('002 §1.1: staff record a professional’s request from the child’s record; bad input is kept with a specific error (400)', async () => {
      const record = await sw.get(`/children/${f.ava}`);
      expect(record.body).toContain(`/children/${f.ava}/conference-requests`);
      const form = await sw.get(`/children/${f.ava}/conference-requests/new`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('Tess Teacher');
      let res = await sw.post(`/children/${f.ava}/conference-requests/new`, {
        requesterKind: 'described',
        name: 'Dr Lee Gp',
        agency: '',
        role: 'GP',
        reasons: 'Unexplained bruising.',
        support: 'designated-professional',
      });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body).map((e) => e.href)).toEqual(['#agency', '#supporterName']);
      expect(res.body).toContain('value="Dr Lee Gp"');
      res = await sw.post(`/children/${f.ava}/conference-requests/new`, {
        requesterKind: 'described',
        name: 'Dr Lee Gp',
        agency: 'Mill Lane Surgery',
        role: 'GP',
        email: 'lee@surgery.example',
        reasons: 'Unexplained bruising.',
        support: 'designated-professional',
        supporterName: 'Dee Designated',
      });
      expect(res.statusCode).toBe(303);
      const list = await sw.get(res.headers.location as string);
      expect(list.body).toContain('The request is recorded');
      expect(list.body).toContain('Waiting for a decision');
      // The child's record lists the requests too.
      const onRecord = await sw.get(`/children/${f.ava}`);
      expect(onRecord.body).toContain('Dr Lee Gp, Mill Lane Surgery');
      expect(onRecord.body).toContain('Waiting for a decision');
    });

    it('002 §1.1: the team manager’s queue, linked from home; declining a supported request needs why it is the exception; agreeing links to convening', async () => {
      const home = await tmClient.get('/');
      expect(home.body).toContain('href="/conference-requests"');
      expect((await sw.get('/')).body).not.toContain('href="/conference-requests"');
      expect((await sw.get('/conference-requests')).statusCode).toBe(403);
      const queue = await tmClient.get('/conference-requests');
      expect(queue.statusCode).toBe(200);
      const id = /href="\/conference-requests\/([0-9a-f-]{36})"/.exec(queue.body)![1]!;
      const decision = `/conference-requests/${id}/decision`;
      const form = await tmClient.get(decision);
      expect(form.body).toContain('should normally be agreed');
      let res = await tmClient.post(decision, {
        decision: 'decline',
        reasons: 'Threshold not met',
        discussion: 'Met Dr Lee',
      });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body).map((e) => e.href)).toEqual(['#exceptionReason']);
      expect(res.body).toContain('Threshold not met');
      res = await tmClient.post(decision, { decision: 'agree' });
      expect(res.headers.location).toBe(`/conference-requests/${id}?done=agreed`);
      const page = await tmClient.get(res.headers.location as string);
      expect(page.body).toContain(`href="/conferences/new?child=${f.ava}&amp;request=${id}"`);
      expect(page.body).toContain('By email');
      expect((await auditRows(ctx, 'conference-request.view')).some((a) => a.subjectId === id)).toBe(true);
    });

    it('002 §1.1: convening from the agreed request’s link carries it through the journey; the request then shows "Conference convened" with a link and cannot be convened again', async () => {
      const asked = await ctx.services.conferenceRequests.record(
        f.sw,
        f.ben,
        {
          requesterKind: 'described',
          name: 'Dr Kay Gp',
          agency: 'Mill Lane Surgery',
          role: 'GP',
          email: 'kay.gp@surgery.example',
          reasons: 'Unexplained burns.',
          support: 'none',
        },
        ctxOf(f.sw),
      );
      await ctx.services.conferenceRequests.decide(tm, asked.id, { decision: 'agree' }, ctxOf(tm));
      const link = `/conferences/new?child=${f.ben}&request=${asked.id}`;
      expect((await sw.get(`/conference-requests/${asked.id}`)).body).toContain(
        `href="/conferences/new?child=${f.ben}&amp;request=${asked.id}"`,
      );
      await sw.get(link);
      await sw.post('/conferences/new/children', { childIds: [f.ben] }, { fromPage: '/conferences/new/children' });
      await sw.post(
        '/conferences/new/type',
        { type: 'initial', ...dateFields('strategyDiscussionDate', '2026-02-27') },
        { fromPage: '/conferences/new/type' },
      );
      let res = await sw.post('/conferences/new/arrangements', arrangement('2026-03-16'), {
        fromPage: '/conferences/new/arrangements',
      });
      expect(res.headers.location).toBe('/conferences/new/check');
      expect((await sw.get('/conferences/new/check')).body).toContain(
        'This conference answers a professional’s request for a conference.',
      );
      res = await sw.post('/conferences/new/check', {}, { fromPage: '/conferences/new/check' });
      const conference = res.headers.location as string;
      expect(conference).toMatch(/^\/conferences\/[0-9a-f-]{36}$/);
      const page = await sw.get(`/conference-requests/${asked.id}`);
      expect(page.body).toContain('Conference convened');
      expect(page.body).toContain(`href="${conference}"`);
      expect(page.body).toContain('16 March 2026');
      expect(page.body).not.toContain('Convene the conference');
      // The same link again: the request is already answered, so convening from it is refused with a clear error.
      await sw.get(link);
      await sw.post('/conferences/new/children', { childIds: [f.ben] }, { fromPage: '/conferences/new/children' });
      await sw.post(
        '/conferences/new/type',
        { type: 'initial', ...dateFields('strategyDiscussionDate', '2026-02-27') },
        { fromPage: '/conferences/new/type' },
      );
      await sw.post('/conferences/new/arrangements', arrangement('2026-03-17'), {
        fromPage: '/conferences/new/arrangements',
      });
      res = await sw.post('/conferences/new/check', {}, { fromPage: '/conferences/new/check' });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body).map((e) => e.text)).toContain(
        'A conference has already been convened for this request',
      );
    });
  },
);
