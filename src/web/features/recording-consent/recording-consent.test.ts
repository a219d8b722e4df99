import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { clientFor as staffClient } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { errorSummary, postMultipart } from '../../../../test/support/recording-to-record.ts';
import { testApp, type WebClient } from '../../../../test/support/web.ts';

const WAV = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(32)]);

describe.each(testDatabases())('pages for the family’s recording on the day, P-4 to P-7 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let swClient: WebClient;
  let g: SiblingGroupConference;
  let base: string;
  let chair: Actor;

  const clientFor = (actor: Actor) => staffClient(ctx, app, actor);

  const uploadCopy = (client: WebClient, url: string, fromPage: string, fields: Array<[string, string]>) =>
    postMultipart(app, client, url, fromPage, fields, { name: 'phone.wav', type: 'audio/wav', content: WAV });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    ctx.clock.current = new Date('2026-03-02T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    await ctx.services.meeting.recordAttendance(
      chair,
      g.conferenceId,
      g.partId,
      [g.invitee.mother, g.invitee.police, g.invitee.school].map((inviteeId) => ({
        inviteeId,
        status: 'attended' as const,
        joinedAt: null,
        leftAt: null,
        interpreterUsed: false,
      })),
      { actor: { id: chair.id, label: chair.name } },
    );
    chairClient = await clientFor(chair);
    supportClient = await clientFor(support);
    swClient = await clientFor(sw);
    base = `/conferences/${g.conferenceId}/recording-consent`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('P-1, P-5: a request made in the meeting needs the CSRF token, answers 400 keeping what was typed, then prompts the chair', async () => {
    const conference = await swClient.get(`/conferences/${g.conferenceId}`);
    expect(conference.body).toContain(`href="${base}"`);
    expect((await swClient.get(`${base}/requests/new`)).statusCode).toBe(403);
    expect(
      (await chairClient.post(`${base}/requests`, { requester: g.invitee.mother }, { csrf: false })).statusCode,
    ).toBe(403);
    const bad = await chairClient.post(
      `${base}/requests`,
      { requester: g.invitee.police, askedAt: 'soon', purpose: 'Kept purpose' },
      { fromPage: `${base}/requests/new` },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<title>Error:');
    expect(errorSummary(bad.body)).toEqual([
      '#requester: Only a child or young person the meeting is about, or a parent with parental responsibility for a child discussed, may ask to record it. Tell them why, and go on without recording.',
      '#askedAt: Enter the time they asked, like 10:40 or 2pm',
      '#limitsAccepted: Confirm they accepted the limits on the recording before anyone is asked',
    ]);
    expect(bad.body).toContain('Kept purpose');
    const saved = await chairClient.post(
      `${base}/requests`,
      { requester: g.invitee.mother, askedAt: '10:05', purpose: 'To remember the plan', limitsAccepted: 'yes' },
      { fromPage: `${base}/requests/new` },
    );
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`${base}?done=request`);
    // The meeting's register shows the prompt to stop and ask everyone.
    const register = await chairClient.get(`/conferences/${g.conferenceId}/meeting/parts/${g.partId}/register`);
    expect(register.body).toContain('Stop and ask everyone present about the family’s recording');
    expect(register.body).toContain('Grace Okafor asked to record during the meeting.');
  });

  it('P-4: everyone present answers; a refusal without a reason is re-shown with 400 and the answers kept', async () => {
    const form = await supportClient.get(`${base}/ask`);
    expect(form.statusCode).toBe(200);
    const key = /name="request" type="radio" value="([^"]+)" checked/.exec(form.body)?.[1];
    expect(key).toMatch(/^meeting:/);
    const bad = await supportClient.post(
      `${base}/ask`,
      {
        request: key!,
        occasion: 'new-request',
        askedAt: '10:06',
        [`answer-${g.invitee.mother}`]: 'agrees',
        [`answer-${g.invitee.police}`]: 'refuses',
      },
      { fromPage: `${base}/ask` },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      `#reason-${g.invitee.police}: Enter why DC Priya Shah does not agree, or what further authorisation is needed`,
      `#answer-${g.invitee.school}: Select whether Tom Reid agrees to the recording`,
    ]);
    expect(bad.body).toMatch(new RegExp(`name="answer-${g.invitee.police}" type="radio" value="refuses" checked`));
    const saved = await supportClient.post(
      `${base}/ask`,
      {
        request: key!,
        occasion: 'new-request',
        askedAt: '10:06',
        [`answer-${g.invitee.mother}`]: 'agrees',
        [`answer-${g.invitee.police}`]: 'refuses',
        [`reason-${g.invitee.police}`]: 'An investigation is under way.',
        [`authorisation-${g.invitee.police}`]: 'Legal advice',
        [`answer-${g.invitee.school}`]: 'agrees',
      },
      { fromPage: `${base}/ask` },
    );
    expect(saved.statusCode, saved.body).toBe(303);
    const page = await swClient.get(base);
    expect(page.body).toContain('An investigation is under way.. Further authorisation needed: Legal advice');
    expect(page.body).toContain(
      'Not everyone agreed: the family may not record from this point. The meeting goes ahead',
    );
    expect(page.body).not.toContain('Stop and ask everyone present');
  });

  it('P-7: a copy of the family’s recording is uploaded, marked as theirs, and downloaded with an audit', async () => {
    const bad = await uploadCopy(supportClient, `${base}/copies`, `${base}/copies/new`, [
      ['request', ''],
      ['handedOverOn-day', '2'],
      ['handedOverOn-month', '3'],
      ['handedOverOn-year', '2026'],
      ['handedOverBy', 'Kept name'],
    ]);
    expect(bad.statusCode, bad.body.slice(0, 3000)).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['#request: Select whose recording this is a copy of']);
    expect(bad.body).toContain('Kept name');
    const key = /name="request" type="radio" value="([^"]+)"/.exec(bad.body)?.[1];
    const saved = await uploadCopy(supportClient, `${base}/copies`, `${base}/copies/new`, [
      ['request', key!],
      ['handedOverOn-day', '2'],
      ['handedOverOn-month', '3'],
      ['handedOverOn-year', '2026'],
      ['handedOverBy', 'Grace Okafor'],
    ]);
    expect(saved.statusCode, saved.body).toBe(303);
    const page = await chairClient.get(base);
    expect(page.body).toContain('not the official record');
    const href = /href="([^"]+\/copies\/[0-9a-f-]{36})"/.exec(page.body)?.[1];
    const file = await chairClient.get(href!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('audio/wav');
    expect(file.rawPayload.equals(WAV)).toBe(true);
    expect((await auditRows(ctx, 'family-recording.download')).map((r) => r.outcome)).toEqual(['success']);
  });
});
