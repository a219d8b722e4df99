import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { clientFor as staffClient } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import {
  errorSummary,
  giveMotherEmail,
  multipartBody,
  postMultipart,
} from '../../../../test/support/recording-to-record.ts';
import { WebClient, testApp } from '../../../../test/support/web.ts';

const PDF = Buffer.from('%PDF-1.7\nsigned\n%%EOF\n');

describe.each(testDatabases())('permission to record pages, P-1, P-2, P-3, P-6, T-11 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let strangerClient: WebClient;
  let g: SiblingGroupConference;
  let list: string;

  const clientFor = (actor: Actor) => staffClient(ctx, app, actor);

  const uploadNotice = (
    client: WebClient,
    url: string,
    fromPage: string,
    fields: Array<[string, string]>,
    file: Buffer | null,
  ) =>
    postMultipart(
      app,
      client,
      url,
      fromPage,
      fields,
      file && { name: 'notice.pdf', type: 'application/pdf', content: file },
    );

  /** The mother's request to record the conference, asked on 1 March 2026, posted on the new request form (P-1). */
  const motherAsks = (
    asked: { askedAtTime: string; method: string; purpose: string; undertaking: string },
    file: Buffer | null,
  ) =>
    uploadNotice(
      supportClient,
      `${list}/new`,
      `${list}/new`,
      [
        ['requester', `family:${g.people.mother}`],
        ['askedOn-day', '1'],
        ['askedOn-month', '3'],
        ['askedOn-year', '2026'],
        ...Object.entries(asked),
      ],
      file,
    );

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    const stranger = await staff(ctx, 'Sol Other', ['social_worker']);
    // Set once: a session is signed out after a while without use, as the clock reads it.
    ctx.clock.current = new Date('2026-03-01T05:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await giveMotherEmail(ctx, g);
    chairClient = await clientFor(chair);
    supportClient = await clientFor(support);
    strangerClient = await clientFor(stranger);
    list = `/conferences/${g.conferenceId}/recording-permission`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('the conference page and the child’s record link to the requests; someone who may not see the children is refused (403) and audited', async () => {
    expect((await supportClient.get(`/conferences/${g.conferenceId}`)).body).toContain(`href="${list}"`);
    expect((await supportClient.get(`/children/${g.children.ava}`)).body).toContain(
      `href="/children/${g.children.ava}/recording-permission"`,
    );
    const page = await supportClient.get(list);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No request to record has been made.');
    expect((await strangerClient.get(list)).statusCode).toBe(403);
    expect((await auditRows(ctx, 'recording-permission.view')).at(-1)).toMatchObject({ outcome: 'denied' });
  });

  it('P-1: the new request form refuses a post without its CSRF token, and answers 400 with every problem, keeping what was typed', async () => {
    const noCsrf = await app.inject({
      method: 'POST',
      url: `${list}/new`,
      headers: {
        cookie: supportClient.cookieHeader(),
        ...(() => {
          const b = multipartBody([['purpose', 'x']], null);
          return { 'content-type': b.contentType };
        })(),
      },
      payload: multipartBody([['purpose', 'x']], null).payload,
    });
    expect(noCsrf.statusCode).toBe(403);
    const bad = await uploadNotice(
      supportClient,
      `${list}/new`,
      `${list}/new`,
      [
        ['requester', `family:${g.people.mother}`],
        ['askedOn-day', '31'],
        ['askedOn-month', '2'],
        ['askedOn-year', '2026'],
        ['askedAtTime', '9am'],
        ['purpose', 'Kept text'],
        ['undertaking', 'upload'],
      ],
      null,
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      '#askedOn-day: The date they asked must be a real date',
      '#method: Select how they asked',
      '#file: Select the signed notice of intent',
    ]);
    expect(bad.body).toContain('Kept text');
    // P-1, P-2: the father holds parental responsibility for Ben only; the advocate for neither child.
    expect(bad.body).toContain('Parental responsibility for Ben only');
    expect(bad.body).toContain('No parental responsibility: they may not ask');
  });

  it('P-1, T-11, P-2, P-6, P-3: a parent asks 30 hours before with the notice attached; professionals disagree; the chair refuses on one ground with an alternative; it is confirmed by letter and email', async () => {
    const created = await motherAsks(
      {
        askedAtTime: '04:00',
        method: 'phone',
        purpose: 'She finds it hard to remember what is said.',
        undertaking: 'upload',
      },
      PDF,
    );
    expect(created.statusCode).toBe(303);
    const href = created.headers.location!.split('?')[0]!;
    const detail = await supportClient.get(created.headers.location!);
    expect(detail.body).toContain('They asked 30 hours before the meeting');
    expect(detail.body).toContain('Open the signed notice of intent');

    const view = await supportClient.post(
      `${href}/views`,
      { inviteeId: g.invitee.police, view: 'against', reason: '' },
      { fromPage: href },
    );
    expect(view.statusCode).toBe(400);
    expect(errorSummary(view.body)).toEqual(['#reason: Enter why they disagree']);
    await supportClient.post(
      `${href}/views`,
      { inviteeId: g.invitee.police, view: 'against', reason: 'Police information' },
      { fromPage: href },
    );
    await supportClient.post(`${href}/views`, { inviteeId: g.invitee.school, view: 'for' }, { fromPage: href });
    expect((await chairClient.get(href)).body).toContain('Professionals disagree. The chair decides.');

    // Only the chair decides: anyone else is taken back to the request's page.
    expect((await supportClient.get(`${href}/decision`)).headers.location).toBe(href);
    const form = await chairClient.get(`${href}/decision`);
    expect(form.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const missing = await chairClient.post(`${href}/decision`, {
      version,
      outcome: 'refused',
      grounds: 'child-objects',
      reasons: 'Because',
    });
    expect(missing.statusCode).toBe(400);
    expect(errorSummary(missing.body)).toEqual([
      '#evidence-child-objects: Enter the evidence for this reason',
      '#alternatives: Select what is offered instead to meet their need',
    ]);
    const decided = await chairClient.post(`${href}/decision`, {
      version,
      outcome: 'refused',
      grounds: 'child-objects',
      'evidence-child-objects': 'Ava told her advocate she does not want it recorded.',
      alternatives: ['service-recording-copy', 'note-taker'],
      reasons: 'Ava does not want the conference recorded.',
    });
    expect(decided.statusCode).toBe(303);
    // P-3: until it is confirmed to her, the chair's dashboard says so.
    expect((await chairClient.get('/dashboard')).body).toContain(
      '1 decision is not yet confirmed to the person who asked',
    );
    const confirmPage = await supportClient.get(`${href}/confirmation`);
    expect(confirmPage.body).toContain('We cannot agree to the meeting being recorded.');
    const confirmed = await supportClient.post(`${href}/confirmation`, {
      version: /name="version" value="(\d+)"/.exec(confirmPage.body)![1]!,
    });
    expect(confirmed.statusCode).toBe(303);
    expect((await supportClient.get(href)).body).toContain('Confirmed to them by letter and email');
  });

  it('T-11: the decision-makers’ list shows requests waiting with the time left, and the chair’s dashboard links to it', async () => {
    const created = await uploadNotice(
      supportClient,
      `${list}/new`,
      `${list}/new`,
      [
        ['requester', `child:${g.children.ava}`],
        ['askedOn-day', '25'],
        ['askedOn-month', '2'],
        ['askedOn-year', '2026'],
        ['askedAtTime', '09:00'],
        ['method', 'in-person'],
        ['purpose', 'To listen again later.'],
        ['undertaking', 'later'],
      ],
      null,
    );
    expect(created.statusCode).toBe(303);
    const page = await chairClient.get('/recording-permission');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Yours to decide');
    expect(page.body).toContain('29 hours');
    const dashboard = await chairClient.get('/dashboard');
    expect(dashboard.body).toContain('1 request is waiting for your decision');
    expect(dashboard.body).toContain('Time left before the soonest meeting: <strong>29 hours</strong>');
    expect(dashboard.body).toContain('href="/recording-permission"');
  });

  it('P-1: a secure link is emailed for the requester to confirm the undertaking; their pages need no account and refuse a form without its token', async () => {
    const created = await motherAsks(
      { askedAtTime: '04:30', method: 'email', purpose: 'To remember what is said.', undertaking: 'later' },
      null,
    );
    const href = created.headers.location!.split('?')[0]!;
    const sent = await supportClient.post(`${href}/link`, {}, { fromPage: href });
    expect(sent.statusCode).toBe(303);
    expect((await supportClient.get(sent.headers.location!)).body).toContain(
      'A secure link to confirm the undertaking was emailed',
    );
    const anonymous = new WebClient(app);
    const unknown = await anonymous.get('/record-a-meeting/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This link does not work');
    const noCsrf = await anonymous.post(
      '/record-a-meeting/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/code',
      {},
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);
  });
});
