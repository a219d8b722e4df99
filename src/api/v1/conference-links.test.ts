import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import { recordingNotice } from '../../domain/conferences/invitations.ts';
import { type SiblingFixture, ctxOf, initialInput, siblingFixture } from '../../../test/support/convening.ts';
import { markAdjourned } from '../../../test/support/conference-links.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('conference links, issues and interpreters in the API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: SiblingFixture;
  let token: string;

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx, 'Obi');
    token = await tokenFor(f.sw);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('Q-1: lists the conference to reconvene, links it when convening, and shows the link on both', async () => {
    const { id: adjourned } = await ctx.services.convening.convene(
      f.sw,
      initialInput(f, { scheduledDate: '2026-03-02' }),
      ctxOf(f.sw),
    );
    await markAdjourned(ctx, adjourned, '2026-03-09' as IsoDate);
    const choices = await call('GET', `/children/${f.ben}/reconvene-choices`);
    expect(choices.statusCode).toBe(200);
    expect(choices.json().conferences).toEqual([
      expect.objectContaining({
        id: adjourned,
        ground: { rule: 'Q-1', newDate: '2026-03-09' },
        label: 'Initial child protection conference on 2 March 2026',
      }),
    ]);
    expect((await call('GET', `/conferences/${adjourned}`)).json().conference.reconvene).toMatchObject({
      ground: { rule: 'Q-1' },
      outstanding: true,
    });

    const res = await call('POST', '/conferences', {
      ...initialInput(f),
      scheduledDate: '2026-03-09',
      reconvenesConferenceId: adjourned,
    });
    expect(res.statusCode).toBe(201);
    const created = res.json().conference;
    expect(created.reconvenes).toEqual({
      id: adjourned,
      type: 'initial',
      status: 'adjourned-inquorate',
      scheduledDate: '2026-03-02',
    });
    const old = (await call('GET', `/conferences/${adjourned}`)).json().conference;
    expect(old.reconvenedAs).toMatchObject({ id: created.id, scheduledDate: '2026-03-09' });
    expect(old.reconvene.outstanding).toBe(false);
    expect((await call('GET', `/conferences/${adjourned}/meeting`)).json().conference.reconvenedConferenceId).toBe(
      created.id,
    );

    const again = await call('POST', '/conferences', {
      ...initialInput(f),
      scheduledDate: '2026-03-10',
      reconvenesConferenceId: adjourned,
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().issues).toEqual([
      { path: 'reconvenesConferenceId', message: expect.stringContaining('has already been reconvened') },
    ]);
  });

  it('interpreter languages: required when needed (422), stored, changed later, and shown on the invitees', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    let res = await call('POST', `/conferences/${id}/invitations`, {
      invitees: [{ kind: 'family-member', personId: f.dev, interpreterNeeded: true }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().issues).toEqual([
      { path: 'invitees.0.interpreterLanguage', message: 'Enter the language Dev Mensah needs an interpreter in' },
    ]);
    res = await call('POST', `/conferences/${id}/invitations`, {
      invitees: [
        { kind: 'family-member', personId: f.dev, interpreterNeeded: true, interpreterLanguage: 'Twi' },
        { kind: 'child', childId: f.ava },
      ],
    });
    expect(res.statusCode).toBe(201);
    const [dev, ava] = res.json().invitees;
    expect(dev).toMatchObject({ interpreterNeeded: true, interpreterLanguage: 'Twi' });
    expect(ava).toMatchObject({ interpreterNeeded: false, interpreterLanguage: null });
    res = await call('PUT', `/conferences/${id}/invitations/${ava.id}/interpreter`, {
      interpreterNeeded: true,
      interpreterLanguage: 'Polish',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ interpreterNeeded: true, interpreterLanguage: 'Polish' });
    expect(
      (await call('GET', `/conferences/${id}/meeting`)).json().invitees.find((i: { id: string }) => i.id === ava.id)
        .interpreterLanguage,
    ).toBe('Polish');

    // Nobody twice: 422 naming them.
    res = await call('POST', `/conferences/${id}/invitations`, {
      invitees: [{ kind: 'family-member', personId: f.dev, interpreterNeeded: false }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().issues).toEqual([{ path: 'invitees.0.personId', message: 'Dev Mensah is already invited' }]);
  });

  it('invitations issued: each copy kept as sent, with its SHA-256 and the R-1 notice; issuing again adds one', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const invited = await call('POST', `/conferences/${id}/invitations`, {
      invitees: [
        {
          kind: 'professional',
          professionalId: f.teacher,
          directContact: true,
          sent: { method: 'email', sentOn: '2026-03-02' },
        },
      ],
    });
    const teacher = invited.json().invitees[0];
    expect(teacher.latestIssue).toMatchObject({
      issueNumber: 1,
      channel: 'email',
      recipientEmail: 'tess@school.example',
    });
    let res = await call('POST', `/conferences/${id}/invitations/${teacher.id}/issues`, {
      method: 'letter',
      sentOn: '2026-03-03',
    });
    expect(res.statusCode).toBe(422);
    res = await call('POST', `/conferences/${id}/invitations/${teacher.id}/issues`, {
      method: 'letter',
      sentOn: '2026-03-02',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ issueNumber: 2, channel: 'letter', issuedBy: { id: f.sw.id } });
    const list = await call('GET', `/conferences/${id}/invitations/${teacher.id}/issues`);
    expect(list.statusCode).toBe(200);
    const { issues, changedSinceIssued } = list.json();
    expect(changedSinceIssued).toBe(false);
    expect(issues.map((i: { issueNumber: number }) => i.issueNumber)).toEqual([1, 2]);
    for (const i of issues as Array<{ body: string; bodySha256: string }>) {
      expect(i.bodySha256).toBe(createHash('sha256').update(i.body, 'utf8').digest('hex'));
      for (const paragraph of recordingNotice()) expect(i.body).toContain(paragraph);
    }
  });
});
