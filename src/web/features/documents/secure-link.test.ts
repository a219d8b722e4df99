import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IssueSending } from '../../../app/documents/sending.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { londonDateOf } from '../../../domain/calendar/index.ts';
import { TestMailbox } from '../../../infra/mail/test-support.ts';
import { receivedEmail } from '../../../app/requests/delivery-test-support.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { type IssuedLetter, issueNextVersion, issuedDecisionLetter } from '../../../../test/support/sending.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });
/** A new address for each test, so each test reads its own emails. */
let n = 0;
let ADDRESS = 'grace.home@example.org';

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

describe.each(testDatabases())('secure links and sending a new version: pages and API (%s)', (kind) => {
  let ctx: TestContext;
  let mailbox: TestMailbox;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let supportClient: WebClient;
  let swClient: WebClient;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    ctx = await createTestServices(kind, mailbox.env());
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    const clientFor = async (a: Actor) =>
      (await signedInClient(ctx, app, { email: emailOf(a), name: a.name, roles: [...a.roles] })).client;
    supportClient = await clientFor(support);
    swClient = await clientFor(sw);
  });
  beforeEach(() => {
    n += 1;
    ADDRESS = `grace.home${n}@example.org`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
    await mailbox.stop();
  });

  const issueOf = async (letter: IssuedLetter, n = 1): Promise<IssueSending> =>
    (await ctx.services.documentSending.distribution(support, letter.g.conferenceId, as(support))).issues.find(
      (i) => i.draftId === letter.draftId && i.issueNumber === n,
    )!;
  const todayParts = () => {
    const [y, m, d] = londonDateOf(ctx.clock.now()).split('-');
    return { 'confirmedOn-day': String(Number(d)), 'confirmedOn-month': String(Number(m)), 'confirmedOn-year': y! };
  };
  const linkForm = (letter: IssuedLetter, inviteeId: string) => ({
    draftId: letter.draftId,
    issueNumber: '1',
    recipientInviteeId: inviteeId,
    email: ADDRESS,
    emailAgain: ADDRESS,
    confirmedHow: 'in-person',
    ...todayParts(),
  });

  it('A-5: the secure link form needs the CSRF token, re-renders 400 with each problem by its field and keeps what was typed, then sends (303)', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const base = `/conferences/${letter.g.conferenceId}/documents`;
    const page = await supportClient.get(`${base}/sending`);
    expect(page.body).toContain('Send a secure download link');
    const url = `${base}/sending/secure-link`;
    const form = linkForm(letter, letter.g.invitee.mother);
    expect((await supportClient.post(url, form, { csrf: false })).statusCode).toBe(403);

    const bad = await supportClient.post(
      url,
      { ...form, emailAgain: 'grace.hom@example.org', confirmedHow: '', 'confirmedOn-year': '2999' },
      { fromPage: `${base}/sending` },
    );
    expect(bad.statusCode).toBe(400);
    const summary = errorSummary(bad.body);
    expect(summary).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^#emailAgain-0-\d+: The email addresses do not match/),
        expect.stringMatching(/^#confirmedHow-0-\d+: Select how the recipient confirmed/),
        expect.stringMatching(
          /^#confirmedOn-0-\d+-day: The date the address was confirmed must be today or in the past/,
        ),
      ]),
    );
    expect(bad.body).toContain(`value="${ADDRESS}"`);
    expect(bad.body).toMatch(/<details class="govuk-details"[^>]*open/);

    const ok = await supportClient.post(url, form, { fromPage: `${base}/sending` });
    expect(ok.statusCode).toBe(303);
    expect(String(ok.headers.location)).not.toContain('grace');
    const after = await supportClient.get(String(ok.headers.location).replace(/#.*$/, ''));
    expect(after.body).toContain('Secure download link emailed');
    expect(after.body).toContain('address confirmed in person');
    expect(after.body).not.toContain(ADDRESS);
    expect(after.body).toContain('Cancel the secure link');
    expect(after.body).toContain('What happened to the link');
    expect(after.body).toContain('Link emailed to the recipient');
    const report = await supportClient.get(`${base}/report`);
    expect(report.body).toContain('Secure download link by email');
    expect((await swClient.post(url, form, { fromPage: `${base}/sending` })).statusCode).toBe(403);
  });

  it('A-6, W-6: the link’s page says what it releases and that it is confidential, names nobody, and is marked opened', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    await ctx.services.documentSending.secureLink(
      support,
      letter.g.conferenceId,
      { ...linkForm(letter, letter.g.invitee.mother), issueNumber: 1, confirmedOn: londonDateOf(ctx.clock.now()) },
      as(support),
    );
    const { body } = await receivedEmail(ctx, mailbox, 'document-secure-link', ADDRESS);
    const path = /(\/copy\/[A-Za-z0-9_-]+)/.exec(body)![1]!;
    const page = await app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Download your copy of a conference document');
    expect(page.body).toContain('decision letter (version 1)');
    expect(page.body).toContain('This document is confidential');
    expect(page.body).not.toContain('Grace');
    expect(page.body).not.toContain('Ava');
    const mother = (await issueOf(letter)).recipients.find((r) => r.recipientInviteeId === letter.g.invitee.mother)!;
    expect(mother.state).toBe('opened');
  });

  it('A-6: cancelling a link from the page needs a reason (400 by its box), then stops it (303) and the page says so', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const base = `/conferences/${letter.g.conferenceId}/documents`;
    const sent = await ctx.services.documentSending.secureLink(
      support,
      letter.g.conferenceId,
      { ...linkForm(letter, letter.g.invitee.mother), issueNumber: 1, confirmedOn: londonDateOf(ctx.clock.now()) },
      as(support),
    );
    const url = `${base}/sending/cancel-link`;
    expect((await supportClient.post(url, { sendingId: sent.id, reason: 'x' }, { csrf: false })).statusCode).toBe(403);
    const blank = await supportClient.post(url, { sendingId: sent.id, reason: ' ' }, { fromPage: `${base}/sending` });
    expect(blank.statusCode).toBe(400);
    expect(errorSummary(blank.body)).toEqual([`#reason-${sent.id}: Enter why the link is being cancelled`]);
    const ok = await supportClient.post(
      url,
      { sendingId: sent.id, reason: 'Wrong address' },
      { fromPage: `${base}/sending` },
    );
    expect(ok.statusCode).toBe(303);
    const after = await supportClient.get(String(ok.headers.location));
    expect(after.body).toContain('The secure link is cancelled');
    expect(after.body).toContain('Link cancelled');
    expect(after.body).toContain('Wrong address');
  });

  it('W-5: a new version has one button that sends it to everyone who had the last one and says what went and what remains to post; a second click sends nothing twice', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    const base = `/conferences/${g.conferenceId}/documents`;
    await ctx.services.documentSending.emailLink(
      support,
      g.conferenceId,
      { draftId: letter.draftId, issueNumber: 1, recipientInviteeId: g.invitee.socialWorker },
      as(support),
    );
    await ctx.services.documentSending.recordPosted(
      support,
      g.conferenceId,
      {
        draftId: letter.draftId,
        issueNumber: 1,
        recipientInviteeId: g.invitee.mother,
        postedOn: londonDateOf(ctx.clock.now()),
      },
      as(support),
    );
    expect((await supportClient.get(`${base}/sending`)).body).not.toContain('Send this version to everyone');
    await issueNextVersion(ctx, letter, { chair, support });
    const page = await supportClient.get(`${base}/sending`);
    expect(page.body).toContain('Send this version to everyone who had the last one');
    const url = `${base}/sending/redistribute`;
    const form = { draftId: letter.draftId, issueNumber: '2' };
    expect((await supportClient.post(url, form, { csrf: false })).statusCode).toBe(403);
    const first = await supportClient.post(url, form, { fromPage: `${base}/sending` });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Emailed a link to their account: Sam Worker');
    expect(first.body).toContain('Still to post (in the post pack): Grace Okafor');
    const second = await supportClient.post(url, form, { fromPage: `${base}/sending` });
    expect(second.body).toContain('Emailed a link to their account: nobody');
    expect(second.body).toContain('Already sent this version, so not sent again: Sam Worker');
    const v2 = await issueOf(letter, 2);
    expect(v2.recipients.flatMap((r) => r.sendings)).toHaveLength(1);
    // The same step through the API: nothing more is sent, and it says so.
    const bearer = (
      await ctx.services.accounts.createApiToken(support.id, 'test', null, { actor: { id: support.id, label: 'test' } })
    ).token;
    const api = await app.inject({
      method: 'POST',
      url: `/api/v1/conferences/${g.conferenceId}/documents/sendings/redistribute`,
      headers: { authorization: `Bearer ${bearer}` },
      payload: { draftId: letter.draftId, issueNumber: 2 },
    });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({ emailed: [], secureLinks: [], alreadySent: ['Sam Worker'] });
    expect((await issueOf(letter, 2)).recipients.flatMap((r) => r.sendings)).toHaveLength(1);
  });

  it('W-4, W-5, A-5: the API sends a secure link (201, 422 by field, 409), cancels it (200, 422, 409) and redistributes (409 on a first issue)', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    const bearer = (
      await ctx.services.accounts.createApiToken(support.id, 'test', null, { actor: { id: support.id, label: 'test' } })
    ).token;
    const api = (url: string, payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/conferences/${g.conferenceId}/documents${url}`,
        headers: { authorization: `Bearer ${bearer}` },
        payload,
      });
    const body = {
      draftId: letter.draftId,
      issueNumber: 1,
      recipientInviteeId: g.invitee.mother,
      email: ADDRESS,
      emailAgain: ADDRESS,
      confirmedHow: 'in-writing',
      confirmedOn: londonDateOf(ctx.clock.now()),
    };
    const bad = await api('/sendings/secure-link', { ...body, email: 'nope', emailAgain: 'nope', confirmedHow: 'x' });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json())).toContain('confirmedHow');
    const sent = await api('/sendings/secure-link', body);
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ method: 'secure-link', addressConfirmed: { how: 'in-writing' } });
    expect(JSON.stringify(sent.json())).not.toContain(ADDRESS);
    expect((await api('/sendings/secure-link', body)).statusCode).toBe(409);
    const id = sent.json().id as string;
    expect((await api(`/sendings/${id}/cancel`, { reason: '' })).statusCode).toBe(422);
    const cancelled = await api(`/sendings/${id}/cancel`, { reason: 'Sent by mistake' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().link.cancelReason).toBe('Sent by mistake');
    expect((await api(`/sendings/${id}/cancel`, { reason: 'again' })).statusCode).toBe(409);
    expect((await api('/sendings/redistribute', { draftId: letter.draftId, issueNumber: 2 })).statusCode).toBe(404);
    const dist = await app.inject({
      method: 'GET',
      url: `/api/v1/conferences/${g.conferenceId}/documents/distribution`,
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(JSON.stringify(dist.json())).not.toContain(ADDRESS);
    expect((await auditRows(ctx, 'documents.sending.secure-link')).at(-1)).toMatchObject({ outcome: 'success' });
  });
});
