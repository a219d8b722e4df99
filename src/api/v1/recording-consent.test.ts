import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendance } from '../../infra/db/schema.ts';
import { auditRows } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { apiCaller, apiStaff } from '../../../test/support/recording-to-record.ts';
import { testApp } from '../../../test/support/web.ts';

const OGG = Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.alloc(60, 1)]);

describe.each(testDatabases())('the family’s recording on the day API, P-4 to P-7, on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chairToken: string;
  let supportToken: string;
  let swToken: string;
  let g: SiblingGroupConference;
  let base: string;

  const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app)(...args);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const { sw, chair, tokens } = await apiStaff(ctx);
    ({ chair: chairToken, support: supportToken, sw: swToken } = tokens);
    ctx.clock.current = new Date('2026-03-02T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    await ctx.services.database.db.insert(attendance).values([
      { partId: g.partId, inviteeId: g.invitee.mother, status: 'attended' },
      { partId: g.partId, inviteeId: g.invitee.police, status: 'attended' },
    ]);
    base = `/api/v1/conferences/${g.conferenceId}/recording-consent`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('P-1, P-5: a request made in the meeting is recorded by the chair (201) and prompts everyone to be asked; a social worker is refused (403)', async () => {
    const body = {
      requesterInviteeId: g.invitee.mother,
      askedAt: '10:10',
      purpose: 'To remember',
      limitsAccepted: true,
    };
    expect((await call('POST', `${base}/requests`, swToken, body)).statusCode).toBe(403);
    const bad = await call('POST', `${base}/requests`, chairToken, { ...body, requesterInviteeId: g.invitee.police });
    expect(bad.statusCode).toBe(422);
    const made = await call('POST', `${base}/requests`, chairToken, body);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ madeDuringMeeting: true, limitsAccepted: true, rounds: [], outcome: null });
    const day = await call('GET', base, swToken);
    expect(day.statusCode).toBe(200);
    expect(day.json().prompts).toMatchObject([{ kind: 'new-request', requestKey: made.json().key }]);
  });

  it('P-4: everyone present answers; a refusal without a reason is 422; the outcome is not agreed', async () => {
    const key = (await call('GET', base, chairToken)).json().requests[0].key as string;
    const answers = [
      { inviteeId: g.invitee.mother, answer: 'agrees' },
      { inviteeId: g.invitee.police, answer: 'refuses' },
    ];
    const bad = await call('POST', `${base}/rounds`, supportToken, {
      request: key,
      occasion: 'new-request',
      askedAt: '10:11',
      answers,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual([`reason-${g.invitee.police}`]);
    const ok = await call('POST', `${base}/rounds`, supportToken, {
      request: key,
      occasion: 'new-request',
      askedAt: '10:11',
      answers: [answers[0], { ...answers[1], furtherAuthorisation: 'Legal advice' }],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ outcome: 'not-agreed', consents: [{ answer: 'agrees' }, { answer: 'refuses' }] });
    expect((await call('GET', base, chairToken)).json().prompts).toEqual([]);
  });

  it('P-7: a copy is stored from the body, listed, and downloaded with an audit', async () => {
    const key = (await call('GET', base, chairToken)).json().requests[0].key as string;
    const url = `${base}/copies?request=${encodeURIComponent(key)}&handedOverOn=2026-03-02&handedOverBy=The%20mother`;
    const stored = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${supportToken}`, 'content-type': 'application/octet-stream' },
      payload: OGG,
    });
    expect(stored.statusCode, stored.body).toBe(201);
    expect(stored.json()).toMatchObject({ format: 'ogg', size: OGG.length, handedOverBy: 'The mother' });
    const file = await call('GET', `${base}/copies/${stored.json().id}`, swToken);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('audio/ogg');
    expect(file.rawPayload.equals(OGG)).toBe(true);
    expect((await auditRows(ctx, 'family-recording.download')).length).toBe(1);
  });
});
