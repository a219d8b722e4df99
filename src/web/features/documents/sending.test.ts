import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueSending } from '../../../app/documents/sending.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { londonDateOf } from '../../../domain/calendar/index.ts';
import { outboxMessages } from '../../../infra/db/mail-schema.ts';
import type { SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { issuedDecisionLetter, letterStaff } from '../../../../test/support/sending.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

describe.each(testDatabases())('sending the written record: pages and API (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let stranger: Actor;
  let supportClient: WebClient;
  let swClient: WebClient;
  let strangerClient: WebClient;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    ({ socialWorker: sw, chair, support } = await letterStaff(ctx));
    stranger = await staff(ctx, 'Stan Stranger', ['social_worker']);
    supportClient = await clientFor(support);
    swClient = await clientFor(sw);
    strangerClient = await clientFor(stranger);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  /** A held conference whose decision letter is issued; the mother has an address, the social worker an account. */
  async function issuedLetter(): Promise<{ g: SiblingGroupConference; issue: IssueSending; base: string }> {
    const { documentSending } = ctx.services;
    const { g } = await issuedDecisionLetter(
      ctx,
      { socialWorker: sw, chair, support },
      { reasons: 'Why the conference decided.' },
    );
    const issue = (await documentSending.distribution(support, g.conferenceId, as(support))).issues[0]!;
    return { g, issue, base: `/conferences/${g.conferenceId}/documents` };
  }

  const form = (issue: IssueSending, inviteeId: string) => ({
    draftId: issue.draftId,
    issueNumber: String(issue.issueNumber),
    recipientInviteeId: inviteeId,
  });
  const todayParts = () => {
    const [y, m, d] = londonDateOf(ctx.services.clock.now()).split('-');
    return { 'postedOn-day': String(Number(d)), 'postedOn-month': String(Number(m)), 'postedOn-year': y! };
  };

  it('W-4: the sending page lists each recipient with their state, and the written record links to it and reads "Issued, 0 of N sent" (T-6)', async () => {
    const { g, issue, base } = await issuedLetter();
    const list = await supportClient.get(base);
    expect(list.body).toContain(`${base}/sending`);
    expect(list.body).toContain(`Issued, 0 of ${issue.recipients.length} sent`);
    const page = await supportClient.get(`${base}/sending`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Grace Okafor');
    expect(page.body).toContain('Record as posted');
    expect(page.body).toContain('Email a link');
    expect(page.body).toContain('0 of');
    expect(page.body).not.toContain(g.people.mother);
  });

  it('W-4: recording a copy as posted through the form needs the CSRF token, checks the date (400) and refuses a second time (409)', async () => {
    const { g, issue, base } = await issuedLetter();
    const url = `${base}/sending/posted`;
    const noCsrf = await supportClient.post(
      url,
      { ...form(issue, g.invitee.mother), ...todayParts() },
      { csrf: false },
    );
    expect(noCsrf.statusCode).toBe(403);

    const bad = await supportClient.post(
      url,
      { ...form(issue, g.invitee.mother), 'postedOn-day': '31', 'postedOn-month': '2', 'postedOn-year': '2026' },
      { fromPage: `${base}/sending` },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)[0]).toMatch(/^#postedOn-0-\d+-day: The date posted must be a real date/);

    const future = await supportClient.post(
      url,
      { ...form(issue, g.invitee.mother), 'postedOn-day': '1', 'postedOn-month': '1', 'postedOn-year': '2999' },
      { fromPage: `${base}/sending` },
    );
    expect(future.statusCode).toBe(400);
    expect(errorSummary(future.body)[0]).toMatch(/^#postedOn-0-\d+-day: The date posted must be today or in the past/);

    const ok = await supportClient.post(
      url,
      { ...form(issue, g.invitee.mother), ...todayParts() },
      { fromPage: `${base}/sending` },
    );
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toMatch(/\/sending\?done=posted#recipient-0-\d+$/);
    const after = await supportClient.get(String(ok.headers.location).replace(/#.*$/, ''));
    expect(after.body).toContain('The copy is recorded as posted.');
    expect(after.body).toContain('Posted on');

    const again = await supportClient.post(
      url,
      { ...form(issue, g.invitee.mother), ...todayParts() },
      { fromPage: base },
    );
    expect(again.statusCode).toBe(409);
    expect(errorSummary(again.body)[0]).toContain('already recorded as posted');
  });

  it('W-4, W-6: emailing a link from the page queues the email with the confidentiality warning; the link opens the copy after sign-in and is recorded as opened', async () => {
    const { g, issue, base } = await issuedLetter();
    const sent = await supportClient.post(`${base}/sending/email`, form(issue, g.invitee.socialWorker), {
      fromPage: `${base}/sending`,
    });
    expect(sent.statusCode).toBe(303);
    const sendings = await ctx.services.uow.run((r) => r.documentSendings.listForConferences([g.conferenceId]));
    const sending = sendings.find((s) => s.method === 'email-link')!;
    const [message] = await ctx.services.database.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.id, sending.outboxMessageId!));
    expect(message?.body).toContain('Do not pass it, or this email, to anyone else');
    const link = `${base}/sent/${sending.id}`;
    expect(message?.body).toContain(link);

    const signedOut = await app.inject({ method: 'GET', url: link });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toContain('/sign-in');
    const denied = await strangerClient.get(link);
    expect(denied.statusCode).toBe(403);
    const opened = await swClient.get(link);
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('This document is confidential');
    expect(opened.body).toMatch(new RegExp(`${base}/copies/[0-9a-f-]{36}`));
    const report = await supportClient.get(`${base}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Distribution report');
    expect(report.body).toContain('Email link to the service');
    expect(report.body).toContain('Opened');
  });

  it('W-4: the post pack lists each recipient to post to with their address and the PDFs, for business support only', async () => {
    const { base } = await issuedLetter();
    const pack = await supportClient.get(`${base}/post-pack`);
    expect(pack.statusCode).toBe(200);
    expect(pack.body).toContain('app-print-page');
    expect(pack.body).toContain('BN21 1AA');
    expect(pack.body).toContain('Grace Okafor');
    expect(pack.body).not.toContain('>Sam Worker<');
    expect((await swClient.get(`${base}/post-pack`)).statusCode).toBe(403);
    const posted = await swClient.post(`${base}/sending/posted`, {}, { fromPage: `${base}/sending` });
    expect(posted.statusCode).toBe(403);
  });

  it('W-4, T-6: the API lists the distribution, records a posting (201, then 409), refuses a bad date (422), emails a link and opens it', async () => {
    const { g, issue } = await issuedLetter();
    const token = async (a: Actor) =>
      (await ctx.services.accounts.createApiToken(a.id, 'test', null, { actor: { id: a.id, label: 'test' } })).token;
    const supportToken = await token(support);
    const swToken = await token(sw);
    const api = (method: 'GET' | 'POST', url: string, bearer: string | null, payload?: Record<string, unknown>) =>
      app.inject({
        method,
        url: `/api/v1/conferences/${g.conferenceId}/documents${url}`,
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        ...(payload ? { payload } : {}),
      });
    expect((await api('GET', '/distribution', null)).statusCode).toBe(401);
    const dist = await api('GET', '/distribution', supportToken);
    expect(dist.statusCode).toBe(200);
    expect(dist.json().issues[0].progress).toMatchObject({ sent: 0, total: issue.recipients.length });
    expect(JSON.stringify(dist.json())).not.toContain('blobKey');

    const body = { draftId: issue.draftId, issueNumber: 1, recipientInviteeId: g.invitee.mother };
    const today = londonDateOf(ctx.services.clock.now());
    expect((await api('POST', '/sendings/posted', supportToken, { ...body, postedOn: '2999-01-01' })).statusCode).toBe(
      422,
    );
    const posted = await api('POST', '/sendings/posted', supportToken, { ...body, postedOn: today });
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toMatchObject({ method: 'post', postedOn: today });
    expect((await api('POST', '/sendings/posted', supportToken, { ...body, postedOn: today })).statusCode).toBe(409);
    expect((await api('POST', '/sendings/posted', swToken, { ...body, postedOn: today })).statusCode).toBe(403);

    const emailed = await api('POST', '/sendings/email', supportToken, {
      ...body,
      recipientInviteeId: g.invitee.socialWorker,
    });
    expect(emailed.statusCode).toBe(201);
    const noAccount = await api('POST', '/sendings/email', supportToken, body);
    expect(noAccount.statusCode).toBe(422);
    const copy = await api('GET', `/sendings/${emailed.json().id}`, swToken);
    expect(copy.statusCode).toBe(200);
    expect(copy.json().confidentiality).toContain('confidential');

    const docs = await api('GET', '', supportToken);
    const letter = docs.json().documents.find((d: { kind: string }) => d.kind === 'decision-letter');
    expect(letter.sending).toMatchObject({ sent: 2, total: issue.recipients.length });
    const pack = await api('GET', '/post-pack', supportToken);
    expect(pack.statusCode).toBe(200);
    expect(
      pack.json().entries.some((e: { recipientInviteeId: string }) => e.recipientInviteeId === g.invitee.mother),
    ).toBe(false);
    expect((await auditRows(ctx, 'documents.sending.email')).at(-1)).toMatchObject({ outcome: 'success' });
  });
});
