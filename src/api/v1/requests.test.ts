import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { insertStoredRecordingRow } from '../../../test/support/recordings.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const MUM_EMAIL = 'grace.private@example.org';

describe.each(testDatabases())('requests for copies API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let otherSw: Actor;
  let admin: Actor;
  let chairToken: string;
  let supportToken: string;
  let otherSwToken: string;
  let adminToken: string;
  let g: SiblingGroupConference;

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: unknown) =>
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
    // Copies are only queued here (no audio behind the test's recordings): a test finishes one itself.
    ctx = await createTestServices(kind, {}, { copy: 'manual' });
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    admin = await staff(ctx, 'Ada Admin', ['admin']);
    [chairToken, supportToken, otherSwToken, adminToken] = await Promise.all([
      tokenFor(chair),
      tokenFor(support),
      tokenFor(otherSw),
      tokenFor(admin),
    ]);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('records a request (A-1), then shows it in the queue, on its own and in its timeline', async () => {
    const res = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.father },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.refusal).toBeNull();
    expect(body.request).toMatchObject({
      state: 'received',
      requesterType: 'pr-holder',
      requesterName: 'Daniel Mensah',
      receivedOn: '2026-05-11',
      dueOn: '2026-06-11',
      status: { status: 'on-track' },
      chair: { id: chair.id, name: chair.name },
      childrenCovered: [{ id: g.children.ben, name: 'Ben Okafor' }],
      childrenWithoutPr: [{ id: g.children.ava, name: 'Ava Okafor' }],
      actions: expect.arrayContaining(['refer', 'refuse', 'extend']),
      referred: false,
    });
    const id = body.request.id as string;

    const queue = await call('GET', '/api/v1/requests?step=received', supportToken);
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().requests.map((r: { id: string }) => r.id)).toContain(id);
    expect(queue.json().counts.received).toBeGreaterThan(0);
    const none = await call('GET', '/api/v1/requests?step=closed&step=sent', supportToken);
    expect(none.json().requests).toEqual([]);

    const one = await call('GET', `/api/v1/requests/${id}`, supportToken);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id, version: 1, actions: ['withdraw', 'extend'] });

    const steps = await call('GET', `/api/v1/requests/${id}/steps`, supportToken);
    expect(steps.statusCode).toBe(200);
    expect(steps.json().steps).toEqual([
      expect.objectContaining({
        action: 'receive',
        from: null,
        to: 'received',
        actor: { id: chair.id, name: chair.name },
        details: expect.arrayContaining([{ label: 'Who asked', value: 'Person with parental responsibility' }]),
      }),
    ]);
    expect((await auditRows(ctx, 'copy-request.view')).filter((a) => a.subjectId === id).length).toBeGreaterThan(0);
  });

  it('records and refuses an ineligible request with the reason; field problems are 422 with every field', async () => {
    const refused = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-09',
      requester: { type: 'child', childId: g.children.ava },
    });
    expect(refused.statusCode, refused.body).toBe(201);
    expect(refused.json()).toMatchObject({
      request: { state: 'refused', outcome: { kind: 'refused' } },
      refusal: { code: 'CHILD_UNDER_13' },
    });

    const bad = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-13-01',
      requester: { type: 'court', contactName: 'A Clerk' },
    });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['courtName', 'courtReference', 'receivedOn']);
    const wrongType = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'neighbour' },
    });
    expect(wrongType.statusCode).toBe(400);
  });

  it('refuses the unauthenticated, the wrong role and a social worker not allocated to the children', async () => {
    const created = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.mother },
    });
    const id = created.json().request.id as string;
    expect((await call('GET', '/api/v1/requests', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/requests', adminToken)).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/requests/${id}`, otherSwToken)).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/requests/${id}/steps`, otherSwToken)).statusCode).toBe(403);
    expect(
      (
        await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, otherSwToken, {
          receivedOn: '2026-05-11',
          requester: { type: 'pr-holder', personId: g.people.mother },
        })
      ).statusCode,
    ).toBe(403);
    expect((await call('GET', '/api/v1/requests', otherSwToken)).json().requests).toEqual([]);
    expect((await call('GET', `/api/v1/requests/${UNKNOWN}`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/requests/not-an-id', supportToken)).statusCode).toBe(400);
    const denied = (await auditRows(ctx)).filter((a) => a.outcome === 'denied' && a.actorUserId === otherSw.id);
    expect(denied.length).toBeGreaterThan(0);
  });

  it('never returns the requester’s email address', async () => {
    const created = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.mother },
    });
    const id = created.json().request.id as string;
    const recordingId = await storedRecording();
    await ctx.services.requests.refer(
      chair,
      id,
      1,
      {
        childIds: [g.children.ava, g.children.ben],
        email: 'grace.private@example.org',
        emailVerified: true,
        nothingWithheld: true,
        recordingIds: [recordingId],
      },
      { actor: { id: chair.id, label: chair.name } },
    );
    const one = await call('GET', `/api/v1/requests/${id}`, supportToken);
    expect(one.json()).toMatchObject({ state: 'referred', referred: true, version: 2 });
    expect(one.body).not.toContain('grace.private@example.org');
    expect((await call('GET', `/api/v1/requests/${id}/steps`, supportToken)).body).not.toContain(
      'grace.private@example.org',
    );
  });

  /** A new request from the children's mother, recorded over the API: its id. */
  async function mumsRequest(): Promise<string> {
    const res = await call('POST', `/api/v1/conferences/${g.conferenceId}/requests`, chairToken, {
      receivedOn: '2026-05-11',
      requester: { type: 'pr-holder', personId: g.people.mother },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().request.id as string;
  }

  /** A recording with its explanatory statement, as a copy needs. */
  async function recordingWithStatement(): Promise<string> {
    const id = await storedRecording();
    await ctx.services.recordings.confirmStatement(chair, { actor: { id: chair.id, label: chair.name } }, id, {
      location: 'Room 4, County Hall',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakers: [{ name: 'Cal Chair', role: 'Conference chair' }],
      breaks: [],
    });
    return id;
  }

  /** The copy job's work (no audio behind the test's recordings): the queued copy finished, one file per recording. */
  async function finishCopy(copyId: string, recordingId: string): Promise<void> {
    await ctx.services.uow.run(async (repos) => {
      const at = ctx.clock.now();
      await repos.disclosureCopies.update(copyId, { state: 'ready', percent: 100, finishedAt: at, updatedAt: at });
      await repos.disclosureCopies.insertFile({
        copyId,
        recordingId,
        ordinal: 1,
        statementText: 'Explanatory statement (R-2).\n',
        originalSha256: '0'.repeat(64),
        sha256: '1'.repeat(64),
        sizeBytes: 4096,
        durationMs: 600_000,
        noticeMs: 0,
        blobKey: `test-copy-${copyId}`,
        blobSha256: '0'.repeat(64),
        blobSize: 4096,
        withheldLog: [],
        createdAt: at,
      });
    });
  }

  const referral = (recordingId: string) => ({
    childIds: [g.children.ava, g.children.ben],
    email: MUM_EMAIL,
    emailVerified: true,
    nothingWithheld: true,
    recordingIds: [recordingId],
  });
  const reply = (avaName = 'Ava Okafor') => ({
    emailConfirmedSecure: true,
    children: [
      { fullName: avaName, dateOfBirth: '2013-05-10' },
      { fullName: 'Ben Okafor', dateOfBirth: '2019-08-01' },
    ],
  });

  it('takes a request through every step over the API: referral, checks, verification, copy, approval, delivery, sending, notifications and closing (A-3 … A-7)', async () => {
    const recordingId = await recordingWithStatement();
    const id = await mumsRequest();
    const url = `/api/v1/requests/${id}`;
    let version = 1;
    /** Takes a step and expects the state it leads to: the request's new version is kept for the next. */
    const step = async (
      path: string,
      token: string,
      body: Record<string, unknown>,
      state: string,
      method: 'POST' | 'PUT' = 'POST',
    ) => {
      const res = await call(method, `${url}/${path}`, token, { version, ...body });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      expect(res.json()).toMatchObject({ id, state, version: version + 1 });
      version = res.json().version as number;
      return res.json();
    };

    // what the referral may name, then a check that lists every problem, then the referral.
    const form = await call('GET', `${url}/referral-form`, chairToken);
    expect(form.statusCode, form.body).toBe(200);
    expect(form.json()).toMatchObject({
      version: 1,
      amending: false,
      recordings: expect.arrayContaining([expect.objectContaining({ id: recordingId })]),
      prefill: { childIds: expect.arrayContaining([g.children.ava, g.children.ben]) },
    });
    expect(
      form
        .json()
        .children.map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['Ava Okafor', 'Ben Okafor']);
    const incomplete = await call('POST', `${url}/referral/check`, chairToken, {
      referral: { childIds: [], email: 'not an address', emailVerified: false, recordingIds: [] },
    });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['childIds', 'email', 'recordingIds']),
    );
    const checked = await call('POST', `${url}/referral/check`, chairToken, { referral: referral(recordingId) });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ nothingWithheld: true, withheld: [], recordings: [{ id: recordingId }] });
    expect(checked.body).not.toContain(MUM_EMAIL);
    const referred = await step('referral', chairToken, { referral: referral(recordingId) }, 'referred');
    expect(JSON.stringify(referred)).not.toContain(MUM_EMAIL);

    // business support's checks, and the requester's details compared with the children's records.
    await step('resolve-queries', supportToken, { note: 'Nothing to query' }, 'queries-resolved');
    await step(
      'check-recording',
      supportToken,
      { partsListened: '0:00 to 2:00', confirmedRightRecording: true },
      'recording-checked',
    );
    await step('request-verification', supportToken, {}, 'verification-requested');
    expect(await step('record-verification', supportToken, reply(), 'verified')).toMatchObject({
      matched: true,
      staffMessages: [],
    });

    // the copy is started from the referral and followed until ready; a copy not ready is refused.
    const started = await call('POST', `${url}/copies`, supportToken);
    expect(started.statusCode, started.body).toBe(202);
    const copyId = started.json().copyId as string;
    expect((await call('GET', `${url}/copies`, supportToken)).json().copies).toEqual([
      expect.objectContaining({ copyId, state: 'queued' }),
    ]);
    const notReady = await call('POST', `${url}/prepare-copy`, supportToken, { version, copyId });
    expect(notReady.statusCode).toBe(422);
    expect(notReady.json()).toMatchObject({ error: 'invalid_request', field: 'copyId' });
    await finishCopy(copyId, recordingId);
    const copy = await call('GET', `${url}/copies/${copyId}`, supportToken);
    expect(copy.statusCode, copy.body).toBe(200);
    expect(copy.json()).toMatchObject({ copyId, state: 'ready', files: [{ recordingId, ordinal: 1 }] });
    await step('prepare-copy', supportToken, { copyId }, 'copy-prepared');

    // the person who prepared the copy cannot approve it; another sends it back, then approves it.
    const ownApproval = await call('POST', `${url}/approve-copy`, supportToken, { version });
    expect(ownApproval.statusCode).toBe(422);
    expect(ownApproval.json().error).toBe('same_person_approval');
    await step('reject-copy', chairToken, { reason: 'The statement names the wrong room' }, 'verified');
    await step('prepare-copy', supportToken, { copyId }, 'copy-prepared');
    await step('approve-copy', chairToken, {}, 'copy-approved');

    // the secure delivery, then sending; the link and the address never come back.
    // Another copy than the approved one is refused, and nothing is made.
    const wrongCopy = await call('POST', `${url}/send`, supportToken, { version, copyId: UNKNOWN });
    expect(wrongCopy.statusCode, wrongCopy.body).toBe(422);
    expect(wrongCopy.json().field).toBe('copyId');
    expect((await call('GET', `${url}/deliveries`, supportToken)).json().deliveries).toEqual([]);
    const sent = await step('send', supportToken, { copyId }, 'sent');
    const deliveryId = sent.deliveryId as string;
    expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(sent)).not.toContain(MUM_EMAIL);
    const links = await call('GET', `${url}/deliveries`, supportToken);
    expect(links.statusCode, links.body).toBe(200);
    expect(links.json().deliveries).toEqual([
      expect.objectContaining({
        deliveryId,
        copyId,
        state: 'active',
        createdBy: { id: support.id, name: support.name },
      }),
    ]);
    expect(links.body).not.toContain(MUM_EMAIL);
    expect(links.body).not.toContain('/copy/');

    // a new link only in place of one that stopped working unused: refused while it works (409, nothing made),
    // then, once it has expired, made like the first and recorded on the timeline; the request stays sent.
    const newLink = `${url}/deliveries/${deliveryId}/new-link`;
    const early = await call('POST', newLink, supportToken, { version, reason: 'Away while it worked' });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error).toBe('new_link_not_allowed');
    expect((await call('POST', newLink, chairToken, { version, reason: 'x' })).statusCode).toBe(403);
    ctx.clock.advance(15 * 24 * 3_600_000);
    const noReason = await call('POST', newLink, supportToken, { version, reason: ' ' });
    expect(noReason.statusCode, noReason.body).toBe(422);
    expect(noReason.json().field).toBe('reason');
    const renewed = await step(
      `deliveries/${deliveryId}/new-link`,
      supportToken,
      { reason: 'Away while it worked' },
      'sent',
    );
    expect(renewed.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(renewed)).not.toContain(MUM_EMAIL);
    expect((await call('GET', `${url}/deliveries`, supportToken)).json().deliveries).toEqual([
      expect.objectContaining({ deliveryId: renewed.deliveryId, copyId, state: 'active', downloadLimit: 3 }),
      expect.objectContaining({ deliveryId, state: 'expired' }),
    ]);

    // notifications recorded, then the request closed.
    await step('record-notifications', supportToken, { toldOtherwise: ['qa-manager'] }, 'notified');
    await step('close', supportToken, {}, 'closed');

    const timeline = await call('GET', `${url}/steps`, supportToken);
    expect(
      timeline
        .json()
        .steps.filter((s: { action: string }) => s.action !== 'warning')
        .map((s: { action: string }) => s.action),
    ).toEqual([
      'receive',
      'refer',
      'resolve-queries',
      'check-recording',
      'request-verification',
      'record-verification',
      'prepare-copy',
      'reject-copy',
      'prepare-copy',
      'approve-copy',
      'send',
      'send-new-link',
      'record-notifications',
      'close',
    ]);
    expect((await call('GET', url, supportToken)).json()).toMatchObject({ state: 'closed', version });

    // The link can still be cancelled, with the reason; only once, and only a link of this request.
    const other = await mumsRequest();
    expect(
      (
        await call('POST', `/api/v1/requests/${other}/deliveries/${deliveryId}/cancel`, supportToken, {
          reason: 'Sent in error',
        })
      ).statusCode,
    ).toBe(404);
    const cancelled = await call('POST', `${url}/deliveries/${deliveryId}/cancel`, supportToken, {
      reason: 'Sent in error',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toEqual({ cancelled: true });
    expect(
      (await call('GET', `${url}/deliveries`, supportToken))
        .json()
        .deliveries.find((d: { deliveryId: string }) => d.deliveryId === deliveryId),
    ).toMatchObject({
      state: 'revoked',
      revoked: { by: { id: support.id }, reason: 'Sent in error' },
    });
    const again = await call('POST', `${url}/deliveries/${deliveryId}/cancel`, supportToken, { reason: 'Again' });
    expect(again.statusCode).toBe(409);
    expect(
      (await auditRows(ctx, 'delivery.revoked')).filter((a) => a.subjectId === deliveryId && a.outcome === 'success'),
    ).toHaveLength(1);
  });

  it('changes the referral, asks again after details did not match, extends the time limit once, and ends a request by withdrawal or refusal (A-3, A-5, A-9, A-10)', async () => {
    const recordingId = await recordingWithStatement();
    const id = await mumsRequest();
    const url = `/api/v1/requests/${id}`;
    const post = (path: string, token: string, body: Record<string, unknown>, method: 'POST' | 'PUT' = 'POST') =>
      call(method, `${url}/${path}`, token, body);

    const extended = await post('extend', supportToken, {
      version: 1,
      reason: 'The recording is long',
      toldOn: '2026-05-11',
    });
    expect(extended.statusCode, extended.body).toBe(200);
    expect((await call('GET', url, supportToken)).json()).toMatchObject({
      extended: true,
      dueOn: '2026-08-11',
      extension: { reason: 'The recording is long', toldOn: '2026-05-11', by: { id: support.id } },
    });
    const twice = await post('extend', supportToken, { version: 2, reason: 'More', toldOn: '2026-05-11' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toBe('already_extended');

    expect((await post('referral', chairToken, { version: 2, referral: referral(recordingId) })).statusCode).toBe(200);
    const amended = await post(
      'referral',
      chairToken,
      {
        version: 3,
        referral: { ...referral(recordingId), childIds: [g.children.ben] },
        reason: 'Only Ben’s information',
      },
      'PUT',
    );
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json()).toMatchObject({ state: 'referred', version: 4 });
    expect((await call('GET', `${url}/referral-form`, chairToken)).json()).toMatchObject({
      amending: true,
      prefill: { childIds: [g.children.ben] },
    });

    let version = 4;
    for (const [path, body] of [
      ['resolve-queries', {}],
      ['check-recording', { partsListened: 'All of it', confirmedRightRecording: true }],
      ['request-verification', {}],
    ] as const) {
      const res = await post(path, supportToken, { version, ...body });
      expect(res.statusCode, res.body).toBe(200);
      version = res.json().version as number;
    }
    const mismatch = await post('record-verification', supportToken, {
      version,
      emailConfirmedSecure: true,
      children: [{ fullName: 'Benjamin Someone', dateOfBirth: '2019-08-01' }],
    });
    expect(mismatch.statusCode, mismatch.body).toBe(200);
    expect(mismatch.json()).toMatchObject({ state: 'verification-failed', matched: false });
    expect(mismatch.json().staffMessages.length).toBeGreaterThan(0);
    const resumed = await post('resume-verification', chairToken, {
      version: mismatch.json().version,
      note: 'A typing slip: ask again',
    });
    expect(resumed.statusCode, resumed.body).toBe(200);
    // Back to before the request for details, so business support can ask again.
    expect(resumed.json().state).toBe('recording-checked');
    const withdrawn = await post('withdraw', supportToken, {
      version: resumed.json().version,
      reason: 'The mother no longer wants it',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((await call('GET', url, supportToken)).json()).toMatchObject({
      state: 'withdrawn',
      outcome: { kind: 'withdrawn', reason: 'The mother no longer wants it' },
    });

    const second = await mumsRequest();
    const refused = await call('POST', `/api/v1/requests/${second}/refuse`, chairToken, {
      version: 1,
      reason: 'A court order forbids it',
    });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ state: 'refused', version: 2 });
  });

  it('refuses a step on a stale version (409), by a role that may not take it (403, audited), and with wrong input (400 naming the field)', async () => {
    const recordingId = await storedRecording();
    const id = await mumsRequest();
    const url = `/api/v1/requests/${id}`;
    expect(
      (await call('POST', `${url}/referral`, chairToken, { version: 1, referral: referral(recordingId) })).statusCode,
    ).toBe(200);

    // Someone else took a step since version 1 was read: nothing is saved.
    const stale = await call('POST', `${url}/resolve-queries`, supportToken, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', field: 'version' });
    expect((await call('GET', url, supportToken)).json()).toMatchObject({ state: 'referred', version: 2 });

    // only business support resolves queries; the chair is refused before anything is read, and that is audited.
    const denied = await call('POST', `${url}/resolve-queries`, chairToken, { version: 2 });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toBe('forbidden');
    expect((await auditRows(ctx, 'route.access')).at(-1)).toMatchObject({
      actorUserId: chair.id,
      outcome: 'denied',
      details: expect.objectContaining({ route: 'POST /api/v1/requests/:id/resolve-queries' }),
    });
    // A social worker not allocated to the children may not see the request, so may not act on it either.
    expect((await call('GET', `${url}/copies`, otherSwToken)).statusCode).toBe(403);
    expect((await call('GET', `${url}/deliveries`, otherSwToken)).statusCode).toBe(403);
    expect((await call('POST', `${url}/withdraw`, null, { version: 2, reason: 'x' })).statusCode).toBe(401);

    // Wrong input: the field and what is wrong with it.
    const noVersion = await call('POST', `${url}/resolve-queries`, supportToken, { note: 'Resolved' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json()).toEqual({
      error: 'invalid_request',
      message: 'The request is not valid',
      issues: [{ path: '/version', message: 'Invalid input: expected number, received undefined' }],
    });
    const wordVersion = await call('POST', `${url}/refuse`, chairToken, { version: 'two', reason: 'No' });
    expect(wordVersion.statusCode).toBe(400);
    expect(wordVersion.json().issues).toEqual([
      { path: '/version', message: 'Invalid input: expected number, received string' },
    ]);
    const badParty = await call('POST', `${url}/record-notifications`, supportToken, {
      version: 2,
      toldOtherwise: ['neighbour'],
    });
    expect(badParty.statusCode).toBe(400);
    expect(badParty.json().issues).toEqual([
      { path: '/toldOtherwise/0', message: 'Invalid option: expected one of "chair"|"social-worker"|"qa-manager"' },
    ]);
    expect((await call('POST', '/api/v1/requests/not-an-id/close', supportToken, { version: 2 })).statusCode).toBe(400);
    // A problem the use case finds is 422 with its field: an extension told on a date that is not a date.
    const badDate = await call('POST', `${url}/extend`, supportToken, {
      version: 2,
      reason: 'Long',
      toldOn: '2026-02-30',
    });
    expect(badDate.statusCode, badDate.body).toBe(422);
    expect(badDate.json().issues.map((i: { path: string }) => i.path)).toContain('toldOn');
    expect((await call('GET', url, supportToken)).json().version).toBe(2);
  });

  it('lists a conference’s requests, who may be named in a new one, and the conferences of a child a request may be made for (A-1)', async () => {
    const id = await mumsRequest();
    const listed = await call('GET', `/api/v1/conferences/${g.conferenceId}/requests`, supportToken);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().requests.map((r: { id: string }) => r.id)).toContain(id);
    const choices = await call('GET', `/api/v1/conferences/${g.conferenceId}/requests/choices`, supportToken);
    expect(choices.statusCode, choices.body).toBe(200);
    expect(
      choices
        .json()
        .children.map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['Ava Okafor', 'Ben Okafor']);
    expect(choices.json().people).toEqual(
      expect.arrayContaining([
        { id: g.people.mother, name: 'Grace Okafor', prChildIds: expect.arrayContaining([g.children.ava]) },
      ]),
    );
    expect(choices.json().chairs).toEqual(expect.arrayContaining([{ id: chair.id, name: chair.name }]));
    expect((await call('GET', `/api/v1/conferences/${g.conferenceId}/requests/choices`, otherSwToken)).statusCode).toBe(
      403,
    );
    const found = await call('POST', '/api/v1/requests/conferences', supportToken, { childIds: [g.children.ava] });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().conferences).toEqual([
      expect.objectContaining({ id: g.conferenceId, childNames: expect.arrayContaining(['Ava Okafor']) }),
    ]);
    expect((await call('POST', '/api/v1/requests/conferences', supportToken, { childIds: [] })).statusCode).toBe(400);
    const byName = await call('POST', '/api/v1/requests/conferences/search', supportToken, { name: 'ava okafor' });
    expect(byName.statusCode, byName.body).toBe(200);
    expect(byName.json()).toMatchObject({ conferences: [{ id: g.conferenceId }], more: false });
    const nothing = await call('POST', '/api/v1/requests/conferences/search', supportToken, {});
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json().issues).toEqual([
      { path: 'name', message: 'Enter a name, date of birth or local case reference' },
    ]);
    expect((await auditRows(ctx, 'copy-request.find-conference')).at(-1)).toMatchObject({ outcome: 'success' });
  });

  async function storedRecording(): Promise<string> {
    return await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
      durationMs: 600_000,
    });
  }
});
