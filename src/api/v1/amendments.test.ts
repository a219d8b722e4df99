import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { londonDateOf } from '../../domain/calendar/index.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { issuedDecisionLetter, letterStaff } from '../../../test/support/sending.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

describe.each(testDatabases())('amendments API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let chairToken: string;
  let supportToken: string;
  let strangerToken: string;
  let g: SiblingGroupConference;
  let draftId: string;
  let base: string;

  const call = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const letter = await letterStaff(ctx);
    ({ chair, support } = letter);
    chairToken = await tokenFor(chair);
    supportToken = await tokenFor(support);
    strangerToken = await tokenFor(await staff(ctx, 'Stan Stranger', ['social_worker']));
    ({ g, draftId } = await issuedDecisionLetter(ctx, letter, { reasons: 'The home was not safe.', contacts: false }));
    base = `/api/v1/conferences/${g.conferenceId}/amendments`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('W-5: refuses every route without a token (401), and a caller who may not see the children (403)', async () => {
    for (const [method, url] of [
      ['GET', base],
      ['POST', base],
      ['GET', `${base}/${UNKNOWN}`],
      ['POST', `${base}/${UNKNOWN}/decision`],
    ] as const) {
      expect((await call(method, url, null, method === 'POST' ? {} : undefined)).statusCode, url).toBe(401);
    }
    expect((await call('GET', base, strangerToken)).statusCode).toBe(403);
  });

  it('W-5, T-8: business support records a request, the chair decides each point, and the document goes back to drafting', async () => {
    const choices = (await call('GET', base, supportToken)).json();
    expect(choices.documents).toEqual([expect.objectContaining({ draftId, kind: 'decision-letter', issueNumber: 1 })]);
    const bad = await call('POST', base, supportToken, {
      draftId,
      requesterInviteeId: g.invitee.mother,
      channel: 'email',
      receivedOn: londonDateOf(ctx.clock.now()),
      recordReceivedOn: null,
      points: [{ sectionId: 'no-such-section', requestedChange: 'x' }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(['points[0].sectionId']);

    const created = await call('POST', base, supportToken, {
      draftId,
      requesterInviteeId: g.invitee.mother,
      channel: 'email',
      receivedOn: londonDateOf(ctx.clock.now()),
      recordReceivedOn: null,
      points: [
        { sectionId: 'plain-english-reasons', originalText: 'The home was not safe.', requestedChange: 'It was.' },
        { sectionId: 'plain-english-reasons', requestedChange: 'Add my view.' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({ status: 'waiting-for-chair', lateFlag: null, channel: 'email' });
    expect(request).not.toHaveProperty('issuedDocument');
    expect(request.letter).toBeNull();

    const url = `${base}/${request.id}/decision`;
    expect((await call('POST', url, supportToken, { version: request.version, decisions: [] })).statusCode).toBe(403);
    const stale = await call('POST', url, chairToken, {
      version: request.version + 1,
      decisions: [
        { decision: 'not-accepted', reasons: 'Accurate' },
        { decision: 'accepted', reasons: 'Added' },
      ],
    });
    expect(stale.statusCode).toBe(409);
    const decided = await call('POST', url, chairToken, {
      version: request.version,
      decisions: [
        { decision: 'not-accepted', reasons: 'The conference found it was not safe.' },
        { decision: 'accepted-in-part', reasons: 'Her view is added in a sentence.' },
      ],
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ newIssueNumber: 2, request: { status: 'decided' } });
    const again = await call('POST', url, chairToken, {
      version: decided.json().request.version,
      decisions: [
        { decision: 'not-accepted', reasons: 'x' },
        { decision: 'not-accepted', reasons: 'x' },
      ],
    });
    expect(again.statusCode).toBe(409);

    const read = (await call('GET', `${base}/${request.id}`, supportToken)).json();
    expect(read.points.map((p: { decision: { decision: string } }) => p.decision.decision)).toEqual([
      'not-accepted',
      'accepted-in-part',
    ]);
    expect((await call('GET', `${base}/${UNKNOWN}`, supportToken)).statusCode).toBe(404);
    const views = await auditRows(ctx, 'amendments.request.view');
    expect(views.length).toBeGreaterThan(0);
  });

  it('W-5, W-6, W-7: the request’s JSON gives its decision letter’s draft and status, prepared, approved and issued through the documents’ operations', async () => {
    const list = (await call('GET', base, supportToken)).json();
    const decided = list.requests.find((r: { status: string }) => r.status === 'decided');
    expect(decided.letter).toEqual({ draftId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'prepared' });
    const letterId: string = decided.letter.draftId;
    // The letter is in the conference's documents, for the chair to approve and business support to issue.
    const documentsUrl = `/api/v1/conferences/${g.conferenceId}/documents`;
    const docs = (await call('GET', documentsUrl, supportToken)).json();
    expect(JSON.stringify(docs)).toContain(letterId);
    const letterDraft = (await call('GET', `${documentsUrl}/drafts/${letterId}`, supportToken)).json();
    expect(letterDraft).toMatchObject({
      kind: 'amendment-decision-letter',
      subjectInviteeId: g.invitee.mother,
      amendmentRequestId: decided.id,
    });
    const { documents } = ctx.services;
    const draft = await documents.draft(chair, g.conferenceId, letterId, as(chair));
    const approved = await documents.approve(chair, g.conferenceId, letterId, { version: draft.version }, as(chair));
    expect((await call('GET', `${base}/${decided.id}`, supportToken)).json().letter.status).toBe('approved');
    await documents.issue(support, g.conferenceId, letterId, { version: approved.version }, as(support));
    expect((await call('GET', `${base}/${decided.id}`, supportToken)).json().letter).toEqual({
      draftId: letterId,
      status: 'issued',
    });
    // It is not itself a document a request can be about.
    const choices = (await call('GET', base, supportToken)).json();
    expect(choices.documents.map((x: { kind: string }) => x.kind)).not.toContain('amendment-decision-letter');
  });
});
