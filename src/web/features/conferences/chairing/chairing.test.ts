import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../domain/access/roles.ts';
import { londonDateOf } from '../../../../domain/calendar/index.ts';
import {
  type SiblingFixture,
  clientFor,
  ctxOf,
  dateFields,
  initialInput,
  siblingFixture,
  summaryErrors,
} from '../../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../../test/support/services.ts';
import { testApp } from '../../../../../test/support/web.ts';

const flat = (html: string) => html.replace(/\s+/g, ' ');

describe.each(testDatabases())('the chair’s pages (002 §4.1) on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: SiblingFixture;
  let manager: Actor;
  let admin: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx);
    manager = await staff(ctx, 'Lin Manager', ['chair', 'team_manager']);
    admin = await staff(ctx, 'Ada Admin', ['admin']);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §4.1: an administrator sets a line manager on the account page; themselves is refused with the reason', async () => {
    const client = await clientFor(ctx, app, admin);
    const page = `/admin/users/${f.sw.id}`;
    const self = await client.post(`${page}/line-manager`, { lineManagerId: f.sw.id }, { fromPage: page });
    expect(self.statusCode).toBe(400);
    expect(summaryErrors(self.body)).toEqual([
      { href: '#lineManagerId', text: 'A person cannot be their own line manager' },
    ]);
    const saved = await client.post(`${page}/line-manager`, { lineManagerId: manager.id }, { fromPage: page });
    expect(saved.statusCode).toBe(303);
    expect(flat((await client.get(page)).body)).toMatch(
      /Line manager <\/dt> <dd class="govuk-summary-list__value"> Lin Manager/,
    );
  });

  it('002 §4.1: changing the chair warns about the line manager and needs the reason, then the conference page shows it', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const client = await clientFor(ctx, app, f.sw);
    const form = `/conferences/${id}/chair`;
    expect((await client.get(form)).body).not.toContain('name="chairIndependenceReason"');
    const warned = await client.post(form, { chairUserId: manager.id }, { fromPage: form });
    expect(warned.statusCode).toBe(400);
    expect(summaryErrors(warned.body)[0]).toEqual({
      href: '#chairIndependenceReason',
      text: expect.stringMatching(
        /^Lin Manager is the line manager of Sam Worker, Ava Okafor’s allocated social worker;/,
      ),
    });
    expect(warned.body).toContain('name="chairIndependenceReason"');
    expect(warned.body).toMatch(new RegExp(`<option value="${manager.id}" selected>`));
    const changed = await client.post(
      form,
      { chairUserId: manager.id, chairIndependenceReason: 'No other chair is free this month.' },
      { fromPage: form },
    );
    expect(changed.statusCode).toBe(303);
    const conference = flat((await client.get(`/conferences/${id}`)).body);
    expect(conference).toContain('Why they chair it');
    expect(conference).toContain('No other chair is free this month.');
    expect(conference).toContain('Lin Manager, when the chair was changed. Recorded by Sam Worker');
    expect(conference).toContain('The chair should be independent of the case.');
    expect(conference).toContain('To do before the conference');
  });

  it('002 §4.1: a change of chair, with why, appears in the conference’s list of changes', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const client = await clientFor(ctx, app, f.sw);
    const form = `/conferences/${id}/chair`;
    expect((await client.get(form)).body).toContain('name="reason"');
    const tooLong = await client.post(
      form,
      { chairUserId: manager.id, chairIndependenceReason: 'Agreed.', reason: 'x'.repeat(1001) },
      { fromPage: form },
    );
    expect(tooLong.statusCode).toBe(400);
    expect(summaryErrors(tooLong.body)).toEqual([
      { href: '#reason', text: 'The reason must be 1000 characters or fewer' },
    ]);
    const changed = await client.post(
      form,
      { chairUserId: manager.id, chairIndependenceReason: 'Agreed.', reason: 'Cal Chair is on leave.' },
      { fromPage: form },
    );
    expect(changed.statusCode).toBe(303);
    const conference = flat((await client.get(`/conferences/${id}`)).body);
    expect(conference).toContain('Changes to this conference');
    expect(conference).toContain('Chair changed');
    expect(conference).toContain('Chair: was Cal Chair, now Lin Manager');
    expect(conference).toContain('Cal Chair is on leave.');
  });

  it('002 §4.1: convening on the web with the social worker’s line manager as chair asks for the reason on the arrangements step, shows it to check and keeps it', async () => {
    const sw = await clientFor(ctx, app, f.sw);
    await sw.get(`/conferences/new?child=${f.ava}`);
    await sw.get('/conferences/new/children');
    await sw.post('/conferences/new/children', { childIds: [f.ava, f.ben] });
    await sw.get('/conferences/new/type');
    await sw.post('/conferences/new/type', { type: 'initial', ...dateFields('strategyDiscussionDate', '2026-02-27') });
    await sw.get('/conferences/new/arrangements');
    const arrangement = {
      ...dateFields('scheduledDate', '2026-03-16'),
      startTime: '10:00',
      durationMinutes: '120',
      venueKind: 'online',
      onlineLink: 'https://teams.microsoft.com/meet/123',
      chairUserId: manager.id,
      minuteTakerUserId: f.support.id,
    };
    const warned = await sw.post('/conferences/new/arrangements', arrangement);
    expect(warned.statusCode).toBe(400);
    expect(summaryErrors(warned.body).map((e) => e.href)).toEqual(['#chairIndependenceReason']);
    expect(warned.body).toContain('name="chairIndependenceReason"');
    const on = await sw.post('/conferences/new/arrangements', {
      ...arrangement,
      chairIndependenceReason: 'The only chair free in the timescale.',
    });
    expect(on.headers.location).toBe('/conferences/new/check');
    const check = flat((await sw.get('/conferences/new/check')).body);
    expect(check).toContain('Why they chair it');
    expect(check).toContain('The only chair free in the timescale.');
    const saved = await sw.post('/conferences/new/check', {}, { fromPage: '/conferences/new/check' });
    expect(saved.statusCode).toBe(303);
    const conference = flat((await sw.get(String(saved.headers.location))).body);
    expect(conference).toContain('Lin Manager, when the conference was convened. Recorded by Sam Worker');
  });

  it('002 §4.1: the chair records meeting the child and family; a date in the future is refused on its field', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const client = await clientFor(ctx, app, f.chair);
    const form = `/conferences/${id}/chair/family-meeting`;
    const none = await client.post(form, {}, { fromPage: form });
    expect(none.statusCode).toBe(400);
    expect(summaryErrors(none.body)).toEqual([
      { href: '#met', text: 'Select whether the chair met the child and family before the conference' },
    ]);
    const future = await client.post(
      form,
      { met: 'yes', ...dateFields('metOn', '2099-01-01'), whoMet: 'Ava and Grace' },
      { fromPage: form },
    );
    expect(future.statusCode).toBe(400);
    expect(summaryErrors(future.body)).toEqual([{ href: '#metOn-day', text: 'The date must be today or in the past' }]);
    expect(future.body).toContain('Ava and Grace');
    const today = londonDateOf(ctx.clock.now());
    const saved = await client.post(
      form,
      { met: 'yes', ...dateFields('metOn', today), whoMet: 'Ava and Grace' },
      { fromPage: form },
    );
    expect(saved.statusCode).toBe(303);
    const conference = flat((await client.get(`/conferences/${id}`)).body);
    expect(conference).toMatch(/Met Ava and Grace on \d{1,2} \w+ 20\d\d/);
    expect(conference).not.toContain('To do before the conference');
  });

  it('002 §4.1: someone without access to the children is refused the chair’s pages, and the refusal is audited', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const other = await staff(ctx, 'Olu Worker', ['social_worker']);
    const client = await clientFor(ctx, app, other);
    expect((await client.get(`/conferences/${id}/chair`)).statusCode).toBe(403);
    expect((await client.get(`/conferences/${id}/chair/family-meeting`)).statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'conference.chairing.view')).filter((r) => r.subjectId === id && r.outcome === 'denied'),
    ).toHaveLength(2);
  });

  it('002 §4.1: someone who may not record a cover chair is told who can, on a 403 that is audited', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const whoMay = 'Only the conference’s chair, a team manager or business support can record a cover chair.';
    // The social worker's roles do not allow the page at all.
    const sw = await clientFor(ctx, app, f.sw);
    const bySw = await sw.get(`/conferences/${id}/chair/cover`);
    expect(bySw.statusCode).toBe(403);
    expect(bySw.headers['content-type']).toMatch(/^text\/html/);
    expect(flat(bySw.body)).toContain(whoMay);
    expect(bySw.body).not.toContain('Your account’s roles');
    expect(
      (await auditRows(ctx, 'route.access')).filter(
        (r) =>
          r.actorUserId === f.sw.id &&
          r.outcome === 'denied' &&
          JSON.stringify(r.details).includes('/conferences/:id/chair/cover'),
      ),
    ).toHaveLength(1);
    // A chair who is not this conference's passes the roles, and the use case refuses them: the page and the
    // form's post both say who may.
    const other = await staff(ctx, 'Cleo Otherchair', ['chair']);
    const client = await clientFor(ctx, app, other);
    const page = await client.get(`/conferences/${id}/chair/cover`);
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(flat(page.body)).toContain(whoMay);
    const posted = await client.post(`/conferences/${id}/chair/cover`, {
      coverChairUserId: other.id,
      reason: 'I am free',
    });
    expect(posted.statusCode).toBe(403);
    expect(flat(posted.body)).toContain(whoMay);
    expect(
      (await auditRows(ctx)).filter((r) => r.actorUserId === other.id && r.subjectId === id && r.outcome === 'denied'),
    ).toHaveLength(2);
  });
});
