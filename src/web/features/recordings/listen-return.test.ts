import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { recordingDerivatives } from '../../../infra/db/recordings-schema.ts';
import { siblingGroupConference } from '../../../../test/support/conferences.ts';
import { emailOf, staff } from '../../../../test/support/people.ts';
import { insertStoredRecordingRow } from '../../../../test/support/recordings.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { draftReturnPath } from './recording/listen.ts';

const DRAFT = `/conferences/${randomUUID()}/documents/${randomUUID()}`;

describe('the way back to a draft of the written record after giving a reason to listen', () => {
  it('accepts only a draft’s own path on this site', () => {
    expect(draftReturnPath(DRAFT)).toBe(DRAFT);
    for (const bad of [
      undefined,
      '',
      ['/conferences/a/documents/b'],
      'https://elsewhere.example/',
      `https://elsewhere.example${DRAFT}`,
      `//elsewhere.example${DRAFT}`,
      `/\\elsewhere.example${DRAFT}`,
      `${DRAFT}/../../../sign-out`,
      `${DRAFT}/issue`,
      `${DRAFT}?listen=x`,
      `${DRAFT}#recording`,
      `${DRAFT}\n`,
      `/conferences/${randomUUID()}`,
      `/recordings/${randomUUID()}/listen`,
      DRAFT.toUpperCase(),
    ])
      expect(draftReturnPath(bad), String(bad)).toBeNull();
  });
});

describe.each(testDatabases())('the reason to listen, from a draft of the written record (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let client: WebClient;
  let chairClient: WebClient;
  let listen: string;
  let rid: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair: Actor = await staff(ctx, 'Cal Chair', ['chair']);
    const support: Actor = await staff(ctx, 'Bo Support', ['business_support']);
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    rid = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
    });
    await ctx.services.database.db.insert(recordingDerivatives).values({
      originalRecordingId: rid,
      kind: 'playback',
      mediaType: 'audio/mp4',
      size: 1000,
      sha256: 'c'.repeat(64),
      durationMs: 60_000,
      blobKey: 'p'.repeat(40),
      blobSha256: 'd'.repeat(64),
      blobSize: 1100,
      originalSha256: 'a'.repeat(64),
    });
    client = (
      await signedInClient(ctx, app, { email: emailOf(support), name: support.name, roles: [...support.roles] })
    ).client;
    chairClient = (await signedInClient(ctx, app, { email: emailOf(chair), name: chair.name, roles: [...chair.roles] }))
      .client;
    listen = `/recordings/${rid}/listen`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('R-6: carries the draft through the reason page, keeps it on an error, and goes back to the draft with this recording chosen', async () => {
    const asking = `${listen}?returnTo=${encodeURIComponent(DRAFT)}`;
    const page = await client.get(asking);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Why do you need to listen to this recording?');
    expect(page.body).toContain(`<input type="hidden" name="returnTo" value="${DRAFT}">`);
    expect(page.body).toContain(`href="${DRAFT}#recording"`);
    expect(page.body).toContain('Back to the draft');

    // An error keeps the way back.
    const blank = await client.post(listen, { reason: ' ', returnTo: DRAFT }, { fromPage: asking });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain(`<input type="hidden" name="returnTo" value="${DRAFT}">`);

    const ok = await client.post(listen, { reason: 'Writing the record', returnTo: DRAFT }, { fromPage: asking });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${DRAFT}?listen=${rid}#recording`);
  });

  it('never sends anyone elsewhere: any other returnTo is ignored and the player follows as before', async () => {
    for (const bad of ['https://elsewhere.example/', `//elsewhere.example${DRAFT}`, `${DRAFT}/../../../sign-out`]) {
      const asking = `${listen}?returnTo=${encodeURIComponent(bad)}`;
      const res = await client.post(listen, { reason: 'Writing the record', returnTo: bad }, { fromPage: asking });
      expect(res.statusCode, bad).toBe(303);
      expect(res.headers.location, bad).toBe(listen);
    }
    // Someone yet to give a reason, asked with a foreign returnTo: the page carries none and leads back to the recording.
    const fresh = await chairClient.get(`${listen}?returnTo=${encodeURIComponent('https://elsewhere.example/')}`);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain('Why do you need to listen to this recording?');
    const form = new RegExp(`<form method="post" action="${listen}"[\\s\\S]*?</form>`).exec(fresh.body)?.[0] ?? '';
    expect(form).toContain('name="reason"');
    expect(form).not.toContain('name="returnTo"');
    expect(fresh.body).not.toContain('elsewhere.example');
    expect(fresh.body).toContain(`href="/recordings/${rid}"`);
  });
});
