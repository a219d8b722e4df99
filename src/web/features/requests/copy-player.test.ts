import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, type FixtureDir, toneWav } from '../../../../test/support/audio-fixtures.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';

// R-3 and the second-person approval: the approver hears the copy the requester will get, in a player
// that streams the decrypted copy with Range requests, with the withheld parts marked on its timeline.

const MUM_EMAIL = 'grace.private@example.org';
const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe.each(testDatabases())('listening to the copy before approving it (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let fx: FixtureDir;
  let chair: Actor;
  let support: Actor;
  let atr: Actor;
  let sw: Actor;
  let g: SiblingGroupConference;
  let requestId: string;
  let copyId: string;
  let fileId: string;
  let atrClient: WebClient;
  let swClient: WebClient;
  const by = (a: Actor) => ({ actor: { id: a.id, label: a.name } });
  const cookie = (c: WebClient) => c.cookieHeader();

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    fx = await fixtureDir('cpcr-copy-player-');
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    atr = await staff(ctx, 'Ari Records', ['access_to_records']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    const upload = await ctx.services.recordings.createUpload(support, by(support), g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
      partId: g.partId,
    });
    const staged = path.join(ctx.dataDir, `upload-${upload.id}`);
    await copyFile(await toneWav(fx.file('meeting.wav'), { seconds: 8 }), staged);
    await ctx.services.recordings.completeUpload(support, by(support), upload.id, staged);
    await ctx.services.recordings.confirmStatement(chair, by(chair), upload.id, {
      location: 'Room 4, County Hall',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakers: [{ name: 'Cal Chair', role: 'Conference chair' }],
      breaks: [],
    });
    const segment = await ctx.services.uow.run((repos) =>
      repos.recordings.insertWithheld(upload.id, {
        startMs: 2_000,
        endMs: 4_000,
        reason: 'police',
        explanation: 'Police intelligence',
        withheldFrom: { kind: 'all-family' },
        createdBy: chair.id,
      }),
    );
    const svc = ctx.services.requests;
    const received = await svc.receive(
      support,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
      },
      by(support),
    );
    requestId = received.id;
    let v = (
      await svc.refer(
        chair,
        requestId,
        received.version,
        {
          childIds: [g.children.ava, g.children.ben],
          email: MUM_EMAIL,
          emailVerified: true,
          withheldSegmentIds: [segment],
          recordingIds: [upload.id],
        },
        by(chair),
      )
    ).version;
    v = (await svc.resolveQueries(support, requestId, v, null, by(support))).version;
    v = (
      await svc.checkRecording(
        support,
        requestId,
        v,
        { partsListened: '0:00 to 0:08', confirmedRightRecording: true },
        by(support),
      )
    ).version;
    v = (await svc.requestVerification(support, requestId, v, by(support))).version;
    v = (
      await svc.recordVerification(
        support,
        requestId,
        v,
        {
          emailConfirmedSecure: true,
          children: [
            { fullName: 'Ava Okafor', dateOfBirth: '2013-05-10' },
            { fullName: 'Ben Okafor', dateOfBirth: '2019-08-01' },
          ],
        },
        by(support),
      )
    ).version;
    const plan = await svc.disclosurePlan(support, requestId, by(support));
    ({ copyId } = await ctx.services.disclosureCopies.start(
      support,
      { requestId, conferenceId: plan.conferenceId, recordingIds: plan.recordingIds, withheld: plan.withheld },
      by(support),
    ));
    await svc.prepareCopy(support, requestId, v, copyId, by(support));
    fileId = (await ctx.services.disclosureCopies.status(support, copyId)).files[0]!.fileId;
    atrClient = (await signedInClient(ctx, app, { email: emailOf(atr), name: atr.name, roles: [...atr.roles] })).client;
    swClient = (await signedInClient(ctx, app, { email: emailOf(sw), name: sw.name, roles: [...sw.roles] })).client;
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
    await fx.cleanup();
  });

  it('access to records, who may approve, reaches the copy from the approve step and plays it with the withheld part on its timeline', async () => {
    const request = await atrClient.get(`/requests/${requestId}`);
    expect(request.body).toContain(`action="/requests/${requestId}/steps/approve-copy"`);
    expect(request.body).toContain(`href="/requests/${requestId}/copies/${copyId}"`);
    const copyPage = await atrClient.get(`/requests/${requestId}/copies/${copyId}`);
    expect(copyPage.statusCode).toBe(200);
    const player = `/requests/${requestId}/copies/${copyId}/files/${fileId}`;
    expect(copyPage.body).toContain(`href="${player}"`);
    expect(copyPage.body).not.toContain('Record the copy as prepared');

    const page = await atrClient.get(player);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<audio id="recording-audio"`);
    expect(page.body).toContain(`src="${player}/audio"`);
    expect(page.body).toContain('<script type="module" src="/static/recording-player.js"></script>');
    const text = plain(page.body);
    expect(text).toContain('1 withheld part, shown in red above');
    // The withheld part, where it is in the copy (after the spoken notice), with what it must be.
    expect(text).toMatch(/\d+:\d\d Withheld part 1, until \d+:\d\d: Police information\. It must be silent\./);
    expect(page.body).toMatch(/<rect x="[\d.]+" y="0" width="[\d.]+" height="16" fill="#d4351c">/);
    const data = JSON.parse(
      /<script type="application\/json" id="recording-player-data">([^<]*)<\/script>/.exec(page.body)![1]!,
    ) as { withheld: Array<{ start: number; end: number }> };
    const status = await ctx.services.disclosureCopies.status(support, copyId);
    const w = status.files[0]!.withheld[0]!.output;
    expect(data.withheld).toEqual([{ start: w.startMs / 1000, end: w.endMs / 1000 }]);
  });

  it('streams the decrypted copy with Range requests, and audits every play', async () => {
    const url = `/requests/${requestId}/copies/${copyId}/files/${fileId}/audio`;
    const whole = await app.inject({ method: 'GET', url, headers: { cookie: cookie(atrClient) } });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/mpeg');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const status = await ctx.services.disclosureCopies.status(support, copyId);
    expect(whole.rawPayload.length).toBe(status.files[0]!.sizeBytes);
    expect(whole.rawPayload.subarray(0, 3).toString('latin1')).toBe('ID3');

    const part = await app.inject({
      method: 'GET',
      url,
      headers: { cookie: cookie(atrClient), range: 'bytes=1000-1999' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${whole.rawPayload.length}`);
    expect(part.rawPayload.equals(whole.rawPayload.subarray(1000, 2000))).toBe(true);
    const past = await app.inject({
      method: 'GET',
      url,
      headers: { cookie: cookie(atrClient), range: `bytes=${whole.rawPayload.length}-` },
    });
    expect(past.statusCode).toBe(416);

    const plays = (await auditRows(ctx, 'disclosure_copy.file_opened')).filter(
      (r) => r.actorUserId === atr.id && r.subjectId === copyId && r.outcome === 'success',
    );
    expect(plays.map((r) => (r.details as { range?: string }).range ?? 'whole')).toEqual(['whole', '1000-1999']);
    expect((plays[0]!.details as { purpose: string }).purpose).toMatch(
      /^Staff check: checking the copy before it is approved/,
    );
  });

  it('refuses anyone whose role may not approve (the children’s social worker), audits the denial, and finds no copy under another request', async () => {
    const player = `/requests/${requestId}/copies/${copyId}/files/${fileId}`;
    expect((await swClient.get(`/requests/${requestId}`)).statusCode).toBe(200); // they may see the request
    for (const url of [player, `${player}/audio`, `/requests/${requestId}/copies/${copyId}`])
      expect((await swClient.get(url)).statusCode, url).toBe(403);
    const denied = (await auditRows(ctx, 'route.access')).filter(
      (r) => r.actorUserId === sw.id && r.outcome === 'denied',
    );
    expect(denied.length).toBeGreaterThanOrEqual(3);
    const other = await ctx.services.requests.receive(
      support,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
      },
      by(support),
    );
    expect((await atrClient.get(player.replace(requestId, other.id))).statusCode).toBe(404);
  });
});
