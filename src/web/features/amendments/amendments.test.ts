import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts';
import { amendmentDueDate } from '../../../domain/documents/index.ts';
import { emailOf, staff } from '../../../../test/support/people.ts';
import type { SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { issuedDecisionLetter, letterStaff } from '../../../../test/support/sending.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

describe.each(testDatabases())('the amendment pages (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let strangerClient: WebClient;
  let g: SiblingGroupConference;
  let draftId: string;
  let base: string;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const letter = await letterStaff(ctx);
    ({ chair, support } = letter);
    chairClient = await clientFor(chair);
    supportClient = await clientFor(support);
    strangerClient = await clientFor(await staff(ctx, 'Stan Stranger', ['social_worker']));
    ({ g, draftId } = await issuedDecisionLetter(ctx, letter, { reasons: 'The home was not safe.', contacts: false }));
    base = `/conferences/${g.conferenceId}/amendments`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('W-5, T-8: business support records a request; problems come back in the error summary, each linked to its field', async () => {
    const list = await supportClient.get(base);
    expect(list.statusCode, list.body.slice(0, 3000)).toBe(200);
    expect(list.body).toContain('No amendment has been asked for.');
    expect(list.body).toContain(`href="${base}/new"`);
    expect((await strangerClient.get(base)).statusCode).toBe(403);

    const bad = await supportClient.post(
      `${base}/new`,
      {
        draftId,
        requesterInviteeId: '',
        channel: '',
        'receivedOn-day': '31',
        'receivedOn-month': '2',
        'receivedOn-year': '2026',
      },
      { fromPage: `${base}/new` },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['#receivedOn-day: The date the request was received must be a real date']);

    const today = londonDateOf(ctx.clock.now());
    const [y, m, d] = today.split('-');
    const noPoint = await supportClient.post(
      `${base}/new`,
      {
        draftId,
        requesterInviteeId: g.invitee.mother,
        channel: 'letter',
        'receivedOn-day': String(Number(d)),
        'receivedOn-month': String(Number(m)),
        'receivedOn-year': y!,
        'points-0-sectionId': 'plain-english-reasons',
      },
      { fromPage: `${base}/new` },
    );
    expect(noPoint.statusCode).toBe(400);
    expect(errorSummary(noPoint.body)).toEqual(['#points-0-requestedChange: Enter what they want changed']);

    const ok = await supportClient.post(
      `${base}/new`,
      {
        draftId,
        requesterInviteeId: g.invitee.mother,
        channel: 'letter',
        'receivedOn-day': String(Number(d)),
        'receivedOn-month': String(Number(m)),
        'receivedOn-year': y!,
        'points-0-sectionId': 'plain-english-reasons',
        'points-0-originalText': 'The home was not safe.',
        'points-0-requestedChange': 'The home was safe by the day of the conference.',
        'points-1-sectionId': 'plain-english-reasons',
        'points-1-requestedChange': 'Say that I disagreed.',
      },
      { fromPage: `${base}/new` },
    );
    expect(ok.statusCode, ok.body).toBe(303);
    const location = String(ok.headers.location);
    expect(location).toMatch(new RegExp(`^${base}/[0-9a-f-]{36}\\?done=recorded$`));
    const page = await supportClient.get(location);
    expect(page.body).toContain('The amendment request is recorded');
    expect(page.body).toContain(formatLongDate(amendmentDueDate(today, ctx.services.calendar)));
    expect(page.body).toContain('Say that I disagreed.');
    expect(page.body).not.toContain('Record your decision');
    const listed = await supportClient.get(base);
    expect(listed.body).toContain('Grace Okafor');
    expect(listed.body).toContain('Waiting for the chair');
  });

  it('W-5: the chair decides each point on the request’s page; a missing reason comes back linked to its box', async () => {
    const request = (await ctx.services.amendments.amendments(chair, g.conferenceId, as(chair))).requests[0]!;
    const url = `${base}/${request.id}`;
    const page = await chairClient.get(url);
    expect(page.body).toContain('Record your decision');
    const missing = await chairClient.post(
      `${url}/decision`,
      { version: String(request.version), 'decisions-0-decision': 'accepted', 'decisions-1-decision': 'not-accepted' },
      { fromPage: url },
    );
    expect(missing.statusCode).toBe(400);
    expect(errorSummary(missing.body)).toEqual([
      '#decisions-0-reasons: Enter the reasons for point 1',
      '#decisions-1-reasons: Enter the reasons for point 2',
    ]);
    const denied = await supportClient.post(`${url}/decision`, { version: String(request.version) }, { fromPage: url });
    expect(denied.statusCode).toBe(403);
    const done = await chairClient.post(
      `${url}/decision`,
      {
        version: String(request.version),
        'decisions-0-decision': 'accepted-in-part',
        'decisions-0-reasons': 'The record will say the home had improved.',
        'decisions-1-decision': 'not-accepted',
        'decisions-1-reasons': 'Your disagreement is already recorded.',
      },
      { fromPage: url },
    );
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${url}?done=new-version`);
    const after = await chairClient.get(`${url}?done=new-version`);
    expect(after.body).toContain('Accepted in part');
    expect(after.body).toContain('The record will say the home had improved.');
    const docs = await ctx.services.documents.conferenceDocuments(support, g.conferenceId, as(support));
    expect(docs.documents.find((x) => x.draftId === draftId)?.state).toBe('drafting');
  });

  it('W-5, W-6, W-7: the request’s page says where the letter with the chair’s decision stands and links to it, through approval and issue', async () => {
    const request = (await ctx.services.amendments.amendments(support, g.conferenceId, as(support))).requests[0]!;
    const letterId = request.letter!.draftId;
    const url = `${base}/${request.id}`;
    const letterHref = `/conferences/${g.conferenceId}/documents/${letterId}`;
    const prepared = await supportClient.get(url);
    expect(prepared.statusCode).toBe(200);
    expect(prepared.body).toContain('The letter with the chair’s decision');
    expect(prepared.body).toContain('Prepared');
    expect(prepared.body).toContain(`href="${letterHref}"`);
    expect(prepared.body).toContain('Open the letter to Grace Okafor');
    const listed = await supportClient.get(base);
    expect(listed.body).toContain(`<a class="govuk-link" href="${letterHref}">Prepared`);

    // The letter is a document of the written record: its preview gives the decisions, complaints and confidentiality.
    const draftPage = await chairClient.get(letterHref);
    expect(draftPage.statusCode).toBe(200);
    expect(draftPage.body).toContain('Decision on a request to amend the record: Grace Okafor');
    expect(draftPage.body).toContain(`href="${url}">the amendment request</a>`);
    expect(draftPage.body).toContain('preview the whole letter');
    const letter = await chairClient.get(`${letterHref}/preview`);
    expect(letter.statusCode).toBe(200);
    expect(letter.body).toContain('The record will say the home had improved.');
    expect(letter.body).toContain('Your disagreement is already recorded.');
    expect(letter.body).toContain('If you want to complain');
    expect(letter.body).toContain('Keeping this letter confidential');
    const documentsPage = await supportClient.get(`/conferences/${g.conferenceId}/documents`);
    expect(documentsPage.body).toContain('Decision on a request to amend the record: Grace Okafor');

    const { documents } = ctx.services;
    const draft = await documents.draft(chair, g.conferenceId, letterId, as(chair));
    const approved = await documents.approve(chair, g.conferenceId, letterId, { version: draft.version }, as(chair));
    expect((await supportClient.get(url)).body).toContain('Approved');
    await documents.issue(support, g.conferenceId, letterId, { version: approved.version }, as(support));
    const issued = await supportClient.get(url);
    expect(issued.body).toContain('Issued');
    expect(issued.body).toContain('Not sent yet');
  });

  it('W-5: before the chair decides, the request’s page says a letter will be prepared', async () => {
    const today = londonDateOf(ctx.clock.now());
    const waiting = await ctx.services.amendments.recordRequest(
      support,
      g.conferenceId,
      {
        draftId,
        requesterInviteeId: g.invitee.father,
        channel: 'email',
        receivedOn: today,
        recordReceivedOn: null,
        points: [{ sectionId: 'plain-english-reasons', originalText: '', requestedChange: 'Add my views.' }],
      },
      as(support),
    );
    const page = await supportClient.get(`${base}/${waiting.id}`);
    expect(page.body).toContain('Once the chair has decided every point, a letter giving');
    expect(page.body).not.toContain('Open the letter to');
  });
});
