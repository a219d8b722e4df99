/**
 * W-5, 002 §4.1: a chair who is neither the conference's chair nor its recorded cover is refused approving the record
 * on the page that names the chair and says how cover is recorded, as the meeting's pages do; the cover chair approves.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { as } from '../../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp } from '../../../../test/support/web.ts';
import { heldConferenceForRecord } from '../../../../test/support/written-record.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

describe.each(testDatabases())('approving the record with a cover chair (%s)', (kind) => {
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

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  it('W-5: a third chair is refused on the page naming the chair and how to record cover (audited); the cover chair approves', async () => {
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const cover = await staff(ctx, 'Omar Cover', ['chair']);
    const third = await staff(ctx, 'Thea Third', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    const g = await heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });
    const { documents } = ctx.services;
    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'decision-letter', subjectInviteeId: null },
      as(support),
    );
    await documents.saveSections(
      support,
      g.conferenceId,
      started.id,
      { version: started.version, sections: { 'plain-english-reasons': 'The home was not safe.' } },
      as(support),
    );
    await ctx.services.chairing.recordCover(
      support,
      g.conferenceId,
      { coverChairUserId: cover.id, reason: 'Cal Chair is on leave' },
      as(support),
    );
    const draftUrl = `/conferences/${g.conferenceId}/documents/${started.id}`;

    const thirdClient = await clientFor(third);
    const page = await thirdClient.get(draftUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Approve the document');
    const refused = await thirdClient.post(`${draftUrl}/approve`, { version: versionOn(page.body) });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('The chair of this conference is Cal Chair.');
    // Told whom to ask for cover, not sent to the form: a chair who is not the chair may not record it (002 §4.1).
    expect(refused.body).toContain('Ask Cal Chair, a team manager or business support to record you as cover chair');
    expect(refused.body).not.toContain(`href="/conferences/${g.conferenceId}/chair/cover"`);
    expect(refused.body).toContain('This attempt has been recorded.');
    const denied = (await auditRows(ctx, 'documents.draft.approve')).filter((a) => a.outcome === 'denied');
    expect(denied.map((a) => [a.actorUserId, a.details])).toEqual([[third.id, { reason: 'not the conference chair' }]]);
    // A team manager who is also a chair, refused the same way, may record cover: the form is offered.
    const lead = await staff(ctx, 'Tia Teamlead', ['chair', 'team_manager']);
    const leadClient = await clientFor(lead);
    const leadPage = await leadClient.get(draftUrl);
    const leadRefused = await leadClient.post(`${draftUrl}/approve`, { version: versionOn(leadPage.body) });
    expect(leadRefused.statusCode).toBe(403);
    expect(leadRefused.body).toContain(`href="/conferences/${g.conferenceId}/chair/cover"`);

    const coverClient = await clientFor(cover);
    const coverPage = await coverClient.get(draftUrl);
    expect(coverPage.body).toContain('Approve the document');
    const approved = await coverClient.post(`${draftUrl}/approve`, { version: versionOn(coverPage.body) });
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`${draftUrl}?done=approved`);
  });
});
