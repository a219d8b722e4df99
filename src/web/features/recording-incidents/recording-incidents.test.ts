import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { attendance } from '../../../infra/db/schema.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { clientFor as staffClient } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { errorSummary } from '../../../../test/support/recording-to-record.ts';
import { testApp, type WebClient } from '../../../../test/support/web.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
const date = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! };
};

describe.each(testDatabases())('pages for recording gone wrong, P-8 and P-9 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let swClient: WebClient;
  let qaClient: WebClient;
  let legalClient: WebClient;
  let g: SiblingGroupConference;
  let base: string;
  let chair: Actor;
  let sw: Actor;
  let qa: Actor;
  let legal: Actor;

  const clientFor = (actor: Actor) => staffClient(ctx, app, actor);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    qa = await staff(ctx, 'Quin Assurance', ['qa_manager']);
    legal = await staff(ctx, 'Lee Legal', ['legal_adviser']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    await ctx.services.database.db
      .insert(attendance)
      .values([{ partId: g.partId, inviteeId: g.invitee.advocate, status: 'attended' }]);
    ctx.clock.current = new Date('2026-03-02T11:00:00Z');
    chairClient = await clientFor(chair);
    supportClient = await clientFor(support);
    swClient = await clientFor(sw);
    qaClient = await clientFor(qa);
    legalClient = await clientFor(legal);
    base = `/conferences/${g.conferenceId}/recording-incidents`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('P-8: the conference page leads to the list; only a chair may open the form, and it needs its CSRF token', async () => {
    const conference = await swClient.get(`/conferences/${g.conferenceId}`);
    expect(conference.body).toContain(`href="${base}"`);
    const list = await swClient.get(base);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Nobody has been recorded as recording against the parents’ wishes');
    expect(list.body).not.toContain('Record what happened');
    expect((await supportClient.get(`${base}/unpermitted/new`)).statusCode).toBe(403);
    const form = await chairClient.get(`${base}/unpermitted/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Ada Advocate');
    expect(
      (await chairClient.post(`${base}/unpermitted`, { person: 'someone-else' }, { csrf: false })).statusCode,
    ).toBe(403);
  });

  it('P-8: a bad form answers 400 with an error per field, keeping what was typed; a good one is listed with its times', async () => {
    const bad = await chairClient.post(
      `${base}/unpermitted`,
      {
        person: 'someone-else',
        personDescription: '',
        askedToStopAt: '10:40',
        meetingHaltedAt: '10:30',
        askedToLeaveAt: '',
        outcome: 'adjourned',
        outcomeAt: '11:30',
        notes: 'Kept note',
      },
      { fromPage: `${base}/unpermitted/new` },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<title>Error:');
    expect(errorSummary(bad.body)).toEqual([
      '#personDescription: Describe who was recording',
      '#meetingHaltedAt: The time the meeting was halted must be the same as or after the time they were asked to stop',
      '#outcomeAt: The time it ended must not be in the future',
    ]);
    expect(bad.body).toContain('Kept note');
    const saved = await chairClient.post(
      `${base}/unpermitted`,
      {
        person: g.invitee.advocate,
        askedToStopAt: '10:20',
        meetingHaltedAt: '10:25',
        askedToLeaveAt: '10.26am',
        outcome: 'left',
        outcomeAt: '10:30',
        notes: '',
      },
      { fromPage: `${base}/unpermitted/new` },
    );
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`${base}?done=unpermitted`);
    const list = await swClient.get(base);
    expect(list.body).toContain('Ada Advocate');
    expect(list.body).toContain('Asked to stop at 10:20, meeting halted at 10:25, asked to leave at 10:26');
    expect(list.body).toContain('They left the meeting (10:30)');
    const conference = await swClient.get(`/conferences/${g.conferenceId}`);
    expect(conference.body).toContain('They left the meeting (10:30)');
  });

  it('P-8: another chair is refused the form and the recording on the page naming the chair (audited); the cover chair records it', async () => {
    const third = await staff(ctx, 'Thea Third', ['chair']);
    const cover = await staff(ctx, 'Omar Cover', ['chair']);
    const thirdClient = await clientFor(third);
    const list = await thirdClient.get(base);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Record what happened');
    const form = await thirdClient.get(`${base}/unpermitted/new`);
    expect(form.statusCode).toBe(403);
    expect(form.body).toContain('The chair of this conference is Cal Chair.');
    // 002 §4.1: told whom to ask to be recorded as cover, not sent to the cover chair form (which would refuse them).
    expect(form.body).toContain('a team manager or business support to record you as cover chair');
    expect(form.body).not.toContain(`href="/conferences/${g.conferenceId}/chair/cover"`);
    expect(form.body).toContain('This attempt has been recorded.');
    const step = {
      person: 'someone-else',
      personDescription: 'An uncle of the children',
      askedToStopAt: '10:40',
      meetingHaltedAt: '',
      askedToLeaveAt: '',
      outcome: 'stopped',
      outcomeAt: '10:41',
      notes: '',
    };
    const refused = await thirdClient.post(`${base}/unpermitted`, step);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('The chair of this conference is Cal Chair.');
    const denied = async (action: string) =>
      (await auditRows(ctx, action))
        .filter((a) => a.outcome === 'denied' && a.actorUserId === third.id)
        .map((a) => a.details);
    expect(await denied('unpermitted-recording.form')).toEqual([{ reason: 'not the conference chair' }]);
    expect(await denied('unpermitted-recording.record')).toEqual([{ reason: 'not the conference chair' }]);

    await ctx.services.chairing.recordCover(
      chair,
      g.conferenceId,
      { coverChairUserId: cover.id, reason: 'Cal Chair is on leave' },
      { actor: { id: chair.id, label: chair.name }, correlationId: 'test-request' },
    );
    const coverClient = await clientFor(cover);
    expect((await coverClient.get(base)).body).toContain('Record what happened');
    const saved = await coverClient.post(`${base}/unpermitted`, step, { fromPage: `${base}/unpermitted/new` });
    expect(saved.statusCode, saved.body).toBe(303);
    expect((await swClient.get(base)).body).toContain('An uncle of the children');
  });

  it('P-9: the social worker records a covert recording, the chair is told, and the social worker cannot open it', async () => {
    // Days later: everyone signs in again.
    ctx.clock.current = new Date('2026-03-05T12:00:00Z');
    chairClient = await clientFor(chair);
    swClient = await clientFor(sw);
    qaClient = await clientFor(qa);
    legalClient = await clientFor(legal);
    const bad = await swClient.post(
      `${base}/covert`,
      { childIds: g.children.ava, howFound: 'Kept words', published: 'yes', ...date('foundOn', '2026-03-06') },
      { fromPage: `${base}/covert/new` },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      '#foundOn-day: The date it was found must be today or in the past',
      '#foundBy: Enter who found it',
      '#publishedWhere: Enter where it was published or shared',
      '#takenDown: Select whether it has been taken down',
    ]);
    expect(bad.body).toContain('Kept words');
    const saved = await swClient.post(
      `${base}/covert`,
      {
        childIds: [g.children.ava, g.children.ben],
        foundBy: 'Sam Worker, social worker',
        howFound: 'The father mentioned he had a recording.',
        published: 'not-known',
        ...date('foundOn', '2026-03-05'),
      },
      { fromPage: `${base}/covert/new` },
    );
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`${base}/covert/reported?chair=told`);
    const told = await swClient.get(saved.headers.location as string);
    expect(told.body).toContain('The conference’s chair has been emailed');
    const list = await swClient.get(base);
    expect(list.body).toContain('Incidents are seen only by chairs, team managers and the council’s legal advisers');
    const denied = await auditRows(ctx, 'covert-recording.report');
    expect(denied.map((r) => r.outcome)).toEqual(['success']);
  });

  it('P-9: the chair records actions and closes the incident; a legal adviser reads it without the forms; quality assurance is refused', async () => {
    const list = await chairClient.get(base);
    const href = new RegExp(`href="(${base}/covert/[0-9a-f-]{36})"`).exec(list.body)?.[1];
    expect(href).toBeDefined();
    expect((await swClient.get(href!)).statusCode).toBe(403);
    expect((await qaClient.get(href!)).statusCode).toBe(403);
    // A legal adviser finds it from their menu's list of open incidents, not from the conference.
    const open = await legalClient.get('/recording-incidents');
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('href="/recording-incidents"');
    expect(open.body).toContain(`href="${href}"`);
    expect(open.body).toContain('Initial child protection conference – 2 March 2026');
    expect((await legalClient.get(base)).statusCode).toBe(403);
    expect((await qaClient.get('/recording-incidents')).statusCode).toBe(403);
    const legalView = await legalClient.get(href!);
    expect(legalView.statusCode).toBe(200);
    expect(legalView.body).toContain('The father mentioned he had a recording.');
    expect(legalView.body).not.toContain('Close the incident');
    expect(legalView.body).toContain('Back to open incidents');
    const views = (await auditRows(ctx, 'covert-recording.view')).filter((r) => r.actorUserId === legal.id);
    expect(views.map((v) => v.outcome)).toEqual(['success']);

    const dashboard = await chairClient.get('/dashboard');
    expect(dashboard.body).toContain('Covert recordings to act on (1)');
    expect(dashboard.body).toContain(`href="${href}"`);
    expect((await swClient.get('/dashboard')).body).not.toContain('Covert recordings to act on');
    const page = await chairClient.get(href!);
    expect(page.body).toContain('Tell the multi-agency network');
    const noReason = await chairClient.post(
      `${href}/actions`,
      {
        action: 'inform-network',
        decision: 'not-taken',
        by: 'Cal Chair',
        actionOutcome: '',
        ...date('on', '2026-03-05'),
      },
      { fromPage: href! },
    );
    expect(noReason.statusCode).toBe(400);
    expect(errorSummary(noReason.body)).toEqual(['#actionOutcome: Enter why it was decided against']);
    const early = await chairClient.post(
      `${href}/close`,
      { version: versionOn(page.body), outcome: 'Done', ...date('closedOn', '2026-03-05') },
      { fromPage: href! },
    );
    expect(early.statusCode).toBe(400);
    expect(errorSummary(early.body)).toEqual([
      '#close-heading: Before closing, record whether you did this: tell the multi-agency network; tell the council’s legal representative',
    ]);
    for (const action of ['inform-network', 'inform-legal']) {
      const done = await chairClient.post(
        `${href}/actions`,
        { action, decision: 'taken', by: 'Cal Chair', actionOutcome: 'Told by email', ...date('on', '2026-03-05') },
        { fromPage: href! },
      );
      expect(done.statusCode, done.body).toBe(303);
    }
    const ready = await chairClient.get(href!);
    const closed = await chairClient.post(
      `${href}/close`,
      { version: versionOn(ready.body), outcome: 'The recording was deleted.', ...date('closedOn', '2026-03-05') },
      { fromPage: href! },
    );
    expect(closed.statusCode, closed.body).toBe(303);
    expect((await chairClient.get('/dashboard')).body).not.toContain('Covert recordings to act on');
    const after = await legalClient.get(href!);
    expect(after.body).toContain('Closed 5 March 2026: The recording was deleted.');
  });
});
