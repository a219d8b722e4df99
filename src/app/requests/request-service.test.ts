import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import { copyRequests, copyRequestSteps } from '../../infra/db/requests-schema.ts';
import { insertStoredRecordingRow } from '../../../test/support/recordings.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { auditRows, emailOf, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import { insertReadyCopy } from './delivery-test-support.ts';
import { COPY_SENT_CASE_NOTE_KIND, RequestService, type RequestServiceDeps } from './request-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });
const MUM_EMAIL = 'grace.private@example.org';

/** What the service was built with (its private field), to build a second one with one part failing. */
const depsOf = (s: RequestService): RequestServiceDeps => Reflect.get(s, 'deps');

describe.each(testDatabases())('requests for copies of recordings (%s)', (kind) => {
  let ctx: TestContext;
  let service: RequestService;
  let chair: Actor;
  let chair2: Actor;
  let support: Actor;
  let support2: Actor;
  let records: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let g: SiblingGroupConference;
  let recordingId: string;
  let segmentFamily: string;
  let segmentDad: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.requests;
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    chair2 = await staff(ctx, 'Dee Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    support2 = await staff(ctx, 'Bex Support', ['business_support']);
    records = await staff(ctx, 'Ari Records', ['access_to_records']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    // A stored recording of the conference with two withheld parts: one from the whole family, one from the father only.
    recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
    });
    await ctx.services.uow.run(async (repos) => {
      segmentFamily = await repos.recordings.insertWithheld(recordingId, {
        startMs: 60_000,
        endMs: 120_000,
        reason: 'police',
        explanation: 'Police intelligence',
        withheldFrom: { kind: 'all-family' },
        createdBy: chair.id,
      });
      segmentDad = await repos.recordings.insertWithheld(recordingId, {
        startMs: 600_000,
        endMs: 660_000,
        reason: 'confidential-to-parent',
        explanation: 'Mother’s new address',
        withheldFrom: { kind: 'named', personIds: [g.people.father] },
        createdBy: chair.id,
      });
    });
    // 11 May 2026: Ava (born 10 May 2013) turned 13 yesterday.
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const mumRequester = () => ({ type: 'pr-holder', personId: g.people.mother });
  const referral = (over: Record<string, unknown> = {}) => ({
    childIds: [g.children.ava, g.children.ben],
    email: MUM_EMAIL,
    emailVerified: true,
    withheldSegmentIds: [segmentFamily],
    recordingIds: [recordingId],
    ...over,
  });

  async function mumsRequest(receivedOn = '2026-05-11') {
    return service.receive(chair, { conferenceId: g.conferenceId, receivedOn, requester: mumRequester() }, as(chair));
  }

  /** A ready disclosure copy of the recording made for the request. */
  const readyCopy = (requestId: string) =>
    insertReadyCopy(ctx, {
      requestId,
      conferenceId: g.conferenceId,
      recordingIds: [recordingId],
      createdBy: support.id,
    });

  async function referred() {
    const r = await mumsRequest();
    const v = await service.refer(chair, r.id, r.version, referral(), as(chair));
    return { id: r.id, version: v.version };
  }

  async function toVerified() {
    const r = await referred();
    let v = (await service.resolveQueries(support, r.id, r.version, null, as(support))).version;
    v = (
      await service.checkRecording(
        support,
        r.id,
        v,
        { partsListened: '0:00 to 2:00 and 45:00 to 47:00', confirmedRightRecording: true },
        as(support),
      )
    ).version;
    v = (await service.requestVerification(support, r.id, v, as(support))).version;
    const reply = {
      emailConfirmedSecure: 'yes',
      children: [
        { fullName: 'Ava Okafor', dateOfBirth: '2013-05-10' },
        { fullName: 'ben okafor', dateOfBirth: '2019-08-01' },
      ],
    };
    const verified = await service.recordVerification(support, r.id, v, reply, as(support));
    expect(verified).toMatchObject({ matched: true, state: 'verified' });
    return { id: r.id, version: verified.version };
  }

  it('refers with nobody to tell as QA service manager: records that visibly, and tells the others (A-3)', async () => {
    const r = await referred();
    const view = await service.get(support, r.id, as(support));
    expect(view.state).toBe('referred');
    expect(view.warnings.map((w) => w.text)).toEqual([
      expect.stringContaining('Nobody was emailed as the quality assurance service manager'),
    ]);
    expect(view.timeline.at(-1)).toMatchObject({ action: 'warning', actionLabel: 'Could not be done' });
    const referredMail = (await readOutbox(ctx.services.database, { template: 'request-referred' })).filter(
      (m) => m.subjectId === r.id,
    );
    expect(referredMail.map((m) => m.to).sort()).toEqual([emailOf(support2), emailOf(support), emailOf(sw)].sort());
    // Staff emails carry the reference and a link, never the requester's name or address.
    expect(referredMail[0]!.body).toContain(view.reference);
    expect(referredMail[0]!.body).toContain(`/requests/${r.id}`);
    expect(referredMail[0]!.body).not.toContain('Grace');
    expect(referredMail[0]!.body).not.toContain(MUM_EMAIL);
  });

  describe('with a QA service manager', () => {
    let qa: Actor;
    beforeAll(async () => {
      qa = await staff(ctx, 'Quinn QA', ['qa_manager']);
    });

    it('A-1: a child may ask on their 13th birthday but not the day before; both are recorded', async () => {
      const before = await service.receive(
        records,
        {
          conferenceId: g.conferenceId,
          receivedOn: '2026-05-09',
          requester: { type: 'child', childId: g.children.ava },
          chairId: chair.id,
        },
        as(records),
      );
      expect(before.state).toBe('refused');
      expect(before.refusal).toMatchObject({ code: 'CHILD_UNDER_13' });
      expect(before.refusal!.reason).toMatch(/from the age of 13/);
      const refusedView = await service.get(records, before.id, as(records));
      expect(refusedView.timeline.map((s) => s.action)).toEqual(['receive', 'refuse']);
      expect(refusedView.outcome).toMatchObject({ kind: 'refused', by: { id: records.id } });
      expect(refusedView.chair).toEqual({ id: chair.id, name: chair.name });

      const onTheDay = await service.receive(
        records,
        {
          conferenceId: g.conferenceId,
          receivedOn: '2026-05-10',
          requester: { type: 'child', childId: g.children.ava },
        },
        as(records),
      );
      expect(onTheDay).toMatchObject({ state: 'received', refusal: null });
      const view = await service.get(records, onTheDay.id, as(records));
      expect(view.childrenCovered).toEqual([{ id: g.children.ava, name: 'Ava Okafor' }]);
      // one calendar month from 10 May 2026 is Wednesday 10 June 2026.
      expect(view.dueOn).toBe('2026-06-10');
      const audited = (await auditRows(ctx, 'copy-request.refused')).filter((a) => a.subjectId === before.id);
      expect(audited).toHaveLength(1);
    });

    it('A-1: a parent with PR for one sibling only is eligible for that child alone; a person with none is refused', async () => {
      const dad = await service.receive(
        chair,
        {
          conferenceId: g.conferenceId,
          receivedOn: '2026-05-11',
          requester: { type: 'pr-holder', personId: g.people.father },
        },
        as(chair),
      );
      expect(dad.state).toBe('received');
      const view = await service.get(chair, dad.id, as(chair));
      expect(view.childrenCovered.map((c) => c.id)).toEqual([g.children.ben]);
      expect(view.childrenWithoutPr.map((c) => c.id)).toEqual([g.children.ava]);
      // The referral form pre-fills his children and what he must not hear (both segments apply to him).
      const form = await service.referralForm(chair, dad.id, as(chair));
      expect(form.prefill.childIds).toEqual([g.children.ben]);
      expect([...(form.prefill.withheldSegmentIds ?? [])].sort()).toEqual([segmentFamily, segmentDad].sort());
      expect(form.conference.children.find((c) => c.id === g.children.ava)).toMatchObject({
        withoutPr: true,
        covered: false,
      });
      // He cannot be given Ava's information.
      const err = await service
        .refer(chair, dad.id, view.version, referral({ withheldSegmentIds: [segmentFamily, segmentDad] }), as(chair))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidDetailsError);
      expect((err as InvalidDetailsError).problems).toEqual([
        expect.objectContaining({ field: 'childIds', message: expect.stringContaining('Ava Okafor') }),
      ]);

      const advocate = await service.receive(
        chair,
        {
          conferenceId: g.conferenceId,
          receivedOn: '2026-05-11',
          requester: { type: 'pr-holder', personId: g.people.advocate },
        },
        as(chair),
      );
      expect(advocate).toMatchObject({ state: 'refused', refusal: { code: 'NO_PR' } });
    });

    it('refuses a form with missing details without recording anything', async () => {
      const [{ n: before }] = (await ctx.services.database.execute('select count(*)::int as n from copy_requests'))
        .rows as [{ n: number }];
      const err = await service
        .receive(
          chair,
          {
            conferenceId: g.conferenceId,
            receivedOn: '2026-06-01',
            requester: { type: 'court', contactName: 'Clerk' },
          },
          as(chair),
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidDetailsError);
      expect((err as InvalidDetailsError).problems.map((p) => p.field).sort()).toEqual([
        'courtName',
        'courtReference',
        'receivedOn',
      ]);
      const [{ n: after }] = (await ctx.services.database.execute('select count(*)::int as n from copy_requests'))
        .rows as [{ n: number }];
      expect(after).toBe(before);
    });

    it('runs a request from receipt to closed: emails naming the chair and date (000 Appendix 1), second-person approval, case notes (A-3 … A-7)', async () => {
      const r = await toVerified();
      // The requester was asked to confirm their details, at the verified address.
      const [confirm] = (await readOutbox(ctx.services.database, { template: 'email-confirmation' })).filter(
        (m) => m.subjectId === r.id,
      );
      expect(confirm!.to).toBe(MUM_EMAIL);
      expect(confirm!.body).toContain('Grace Okafor');
      // 000 Appendix 1: it names the chair who passed the request on and the conference's date.
      expect(confirm!.body).toContain('Cal Chair, the conference chair, has told us');
      expect(confirm!.body).toContain('about your child or children on 2 March 2026');

      // Only a ready copy made for this request is accepted.
      await expect(service.prepareCopy(support, r.id, r.version, randomUUID(), as(support))).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'copyId',
      });
      const otherRequest = await mumsRequest();
      const notOurs = await readyCopy(otherRequest.id);
      await expect(service.prepareCopy(support, r.id, r.version, notOurs, as(support))).rejects.toMatchObject({
        field: 'copyId',
      });
      const copyId = await readyCopy(r.id);
      let v = (await service.prepareCopy(support, r.id, r.version, copyId, as(support))).version;
      // The person who prepared it may not approve it.
      const page = await service.get(support, r.id, as(support));
      expect(page.actions).not.toContain('approve-copy');
      expect(page.approvalBlockedReason).toMatch(/someone else/);
      await expect(service.approveCopy(support, r.id, v, as(support))).rejects.toMatchObject({
        code: 'SAME_PERSON_APPROVAL',
      });
      v = (await service.approveCopy(support2, r.id, v, as(support2))).version;

      // A delivery that is not this request's live link is refused; sending the copy makes its own.
      await expect(service.send(support, r.id, v, randomUUID(), as(support))).rejects.toMatchObject({
        field: 'deliveryId',
      });
      const sent = await service.sendCopy(support, r.id, v, {}, as(support));
      expect(sent).toMatchObject({ state: 'sent', warnings: [] });
      const made = await ctx.services.uow.run((repos) => repos.deliveries.listForRequest(r.id));
      expect(made.map((d) => [d.id, d.copyId, d.email])).toEqual([[sent.deliveryId, copyId, MUM_EMAIL]]);
      const [copyReady] = (await readOutbox(ctx.services.database, { template: 'copy-ready' })).filter(
        (m) => m.subjectId === sent.deliveryId,
      );
      expect(copyReady!.to).toBe(MUM_EMAIL);

      // chair, social worker and QA manager told; a case note on each child's record naming the conference, not the requester.
      const mine = (await readOutbox(ctx.services.database)).filter((m) => m.subjectId === r.id);
      expect(
        mine
          .filter((m) => m.templateKey.startsWith('copy-sent-'))
          .map((m) => [m.templateKey, m.to])
          .sort(),
      ).toEqual(
        [
          ['copy-sent-chair', emailOf(chair)],
          ['copy-sent-qa-manager', emailOf(qa)],
          ['copy-sent-social-worker', emailOf(sw)],
        ].sort(),
      );
      for (const childId of [g.children.ava, g.children.ben]) {
        const notes = (await ctx.services.uow.run((repos) => repos.people.listCaseNotes(childId))).filter(
          (n) => n.kind === COPY_SENT_CASE_NOTE_KIND && n.text.includes(page.reference),
        );
        expect(notes).toHaveLength(1);
        expect(notes[0]!.text).toContain('2 March 2026');
        expect(notes[0]!.text).toContain(
          'The conference chair, social worker and quality assurance service manager have been emailed.',
        );
        expect(notes[0]!.text).not.toContain('Grace');
        expect(notes[0]!.text).not.toContain(MUM_EMAIL);
      }

      v = (await service.recordNotifications(support, r.id, sent.version, as(support))).version;
      const closed = await service.close(chair, r.id, v, as(chair));
      expect(closed.state).toBe('closed');
      const view = await service.get(chair, r.id, as(chair));
      expect(view.timeline.map((s) => s.action)).toEqual([
        'receive',
        'refer',
        'resolve-queries',
        'check-recording',
        'request-verification',
        'record-verification',
        'prepare-copy',
        'approve-copy',
        'send',
        'record-notifications',
        'close',
      ]);
      expect(view.timeline.find((s) => s.action === 'check-recording')!.details).toContainEqual({
        label: 'Parts listened to',
        value: '0:00 to 2:00 and 45:00 to 47:00',
      });
      expect(view.sentInTime).toBe(true);
      expect(view.approval!.approvedBy.id).toBe(support2.id);
      // Every step is audited, without the requester's details.
      const audited = (await auditRows(ctx)).filter(
        (a) => a.subjectId === r.id && a.action.startsWith('copy-request.'),
      );
      expect(audited.map((a) => a.action)).toEqual(
        expect.arrayContaining([
          'copy-request.received',
          'copy-request.referred',
          'copy-request.verified',
          'copy-request.copy-approved',
          'copy-request.sent',
          'copy-request.closed',
        ]),
      );
      expect(JSON.stringify(audited)).not.toContain(MUM_EMAIL);
      const steps = await ctx.services.database.db
        .select()
        .from(copyRequestSteps)
        .where(eq(copyRequestSteps.requestId, r.id));
      expect(JSON.stringify(steps)).not.toContain(MUM_EMAIL);
      expect(JSON.stringify(steps)).not.toContain('2013-05-10');
    });

    it('A-5: details that do not match stop the request and tell the chair; the chair may ask again', async () => {
      const r = await referred();
      let v = (await service.resolveQueries(support, r.id, r.version, 'Chair confirmed the part', as(support))).version;
      v = (
        await service.checkRecording(
          support,
          r.id,
          v,
          { partsListened: 'The first two minutes', confirmedRightRecording: true },
          as(support),
        )
      ).version;
      v = (await service.requestVerification(support, r.id, v, as(support))).version;
      const wrong = {
        emailConfirmedSecure: 'yes',
        children: [
          { fullName: 'Ava Okafor', dateOfBirth: '2013-05-11' },
          { fullName: 'Benjamin Okafor', dateOfBirth: '2019-08-01' },
        ],
      };
      const failed = await service.recordVerification(support, r.id, v, wrong, as(support));
      expect(failed).toMatchObject({ matched: false, state: 'verification-failed' });
      expect(failed.staffMessages).toEqual([
        expect.stringContaining('Ava Okafor: the name matches but the date of birth'),
        expect.stringContaining('Ben Okafor: the date of birth matches but the name'),
      ]);
      const told = (await readOutbox(ctx.services.database, { template: 'confirmation-failed' })).filter(
        (m) => m.subjectId === r.id,
      );
      expect(told.map((m) => m.to)).toEqual([emailOf(chair)]);
      const view = await service.get(chair, r.id, as(chair));
      expect(view.verificationFailure).toMatchObject({ attempt: 1 });
      expect(view.actions).toEqual(expect.arrayContaining(['resume-verification', 'amend-referral', 'refuse']));
      // Nothing can be prepared or sent from here.
      await expect(service.prepareCopy(support, r.id, failed.version, randomUUID(), as(support))).rejects.toMatchObject(
        { code: 'INVALID_TRANSITION' },
      );
      const resumed = await service.resumeVerification(
        chair,
        r.id,
        failed.version,
        'Spoke to the mother: she mistyped the date',
        as(chair),
      );
      expect(resumed.state).toBe('recording-checked');
      // The stored reply values never reach the timeline.
      expect(JSON.stringify(view.timeline)).not.toContain('2013-05-11');
      expect(JSON.stringify(view.timeline)).not.toContain('Benjamin');
    });

    it('A-9: extends once, with the reason and the date the requester was told', async () => {
      const r = await mumsRequest('2026-05-01');
      const ext = await service.extend(
        chair,
        r.id,
        r.version,
        { reason: 'Several recordings to review with the police', toldOn: '2026-05-11' },
        as(chair),
      );
      const view = await service.get(chair, r.id, as(chair));
      expect(view.extended).toBe(true);
      expect(view.extension).toMatchObject({
        reason: 'Several recordings to review with the police',
        toldOn: '2026-05-11',
        by: { id: chair.id },
      });
      // Three calendar months from 1 May 2026 is 1 August 2026, a Saturday: Monday 3 August.
      expect(view.dueOn).toBe('2026-08-03');
      const [row] = await ctx.services.database.db.select().from(copyRequests).where(eq(copyRequests.id, r.id));
      expect(row).toMatchObject({ dueOn: '2026-08-03', extended: true });
      await expect(
        service.extend(chair, r.id, ext.version, { reason: 'Again', toldOn: '2026-05-11' }, as(chair)),
      ).rejects.toMatchObject({ code: 'ALREADY_EXTENDED' });
      // Told after the first month: too late (the first month from 1 April ended on Friday 1 May).
      const late = await mumsRequest('2026-04-01');
      await expect(
        service.extend(chair, late.id, late.version, { reason: 'Complex', toldOn: '2026-05-05' }, as(chair)),
      ).rejects.toMatchObject({ code: 'EXTENSION_TOO_LATE', field: 'toldOn' });
      await expect(
        service.extend(chair, late.id, late.version, { reason: '', toldOn: '' }, as(chair)),
      ).rejects.toBeInstanceOf(InvalidDetailsError);
    });

    it('refuses and withdraws with reasons; a request that has ended takes no more steps', async () => {
      const a = await referred();
      const refused = await service.refuse(
        chair,
        a.id,
        a.version,
        'Risk of serious harm to the children if shared',
        as(chair),
      );
      expect(refused.state).toBe('refused');
      // Everyone told of the referral, and the chair, are told it has ended, so nobody goes on working on it.
      expect(refused.warnings).toEqual([]);
      const ended = (await readOutbox(ctx.services.database, { template: 'request-ended' })).filter(
        (m) => m.subjectId === a.id,
      );
      expect(ended.map((m) => m.to).sort()).toEqual(
        [emailOf(chair), emailOf(support), emailOf(support2), emailOf(sw), emailOf(qa)].sort(),
      );
      expect(ended[0]!.subject).toContain('refused');
      expect(ended[0]!.body).not.toContain('Risk of serious harm');
      expect((await service.get(chair, a.id, as(chair))).outcome).toMatchObject({
        kind: 'refused',
        reason: 'Risk of serious harm to the children if shared',
      });
      await expect(service.resolveQueries(support, a.id, refused.version, null, as(support))).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
      });
      const b = await mumsRequest();
      await expect(service.withdraw(support, b.id, b.version, '   ', as(support))).rejects.toBeInstanceOf(
        InvalidDetailsError,
      );
      const withdrawn = await service.withdraw(
        support,
        b.id,
        b.version,
        'The mother no longer wants a copy',
        as(support),
      );
      expect(withdrawn.state).toBe('withdrawn');
      // Never referred: nobody else knew of it, so nobody needs telling.
      expect(withdrawn.warnings).toEqual([]);
      expect(
        (await readOutbox(ctx.services.database, { template: 'request-ended' })).filter((m) => m.subjectId === b.id),
      ).toEqual([]);
    });

    it('denies a social worker not allocated to the children, and a role that may not take a step; both audited', async () => {
      const r = await mumsRequest();
      await expect(service.get(otherSw, r.id, as(otherSw))).rejects.toBeInstanceOf(AccessDeniedError);
      const denied = (await auditRows(ctx)).filter((a) => a.outcome === 'denied' && a.actorUserId === otherSw.id);
      expect(denied.length).toBeGreaterThan(0);
      // The allocated social worker may see it but not refer it (A-3 is the chair's).
      expect((await service.get(sw, r.id, as(sw))).actions).toEqual([]);
      await expect(service.refer(sw, r.id, r.version, referral(), as(sw))).rejects.toBeInstanceOf(AccessDeniedError);
      const swDenied = (await auditRows(ctx, 'copy-request.refer')).filter(
        (a) => a.outcome === 'denied' && a.actorUserId === sw.id,
      );
      expect(swDenied).toHaveLength(1);
      expect((await service.get(support, r.id, as(support))).state).toBe('received');
      // A role with no request role at all.
      const admin = await staff(ctx, 'Ada Admin', ['admin']);
      await expect(service.queue(admin, {}, as(admin))).rejects.toBeInstanceOf(AccessDeniedError);
    });

    it('refuses a step posted with a stale version, writing nothing', async () => {
      const r = await mumsRequest();
      const first = await service.refer(chair, r.id, r.version, referral(), as(chair));
      const mailBefore = (await readOutbox(ctx.services.database)).length;
      await expect(service.withdraw(support, r.id, r.version, 'Changed her mind', as(support))).rejects.toBeInstanceOf(
        StaleRecordError,
      );
      const view = await service.get(support, r.id, as(support));
      expect(view).toMatchObject({ state: 'referred', version: first.version });
      expect((await readOutbox(ctx.services.database)).length).toBe(mailBefore);
    });

    it('writes emails in the step’s transaction: when the step fails after queueing them, none remain', async () => {
      const r = await mumsRequest();
      const mailBefore = (await readOutbox(ctx.services.database)).length;
      const deps = depsOf(service);
      const failingUow: UnitOfWork = {
        read: (fn) => deps.uow.read(fn),
        run: (fn) =>
          deps.uow.run((repos) =>
            fn({
              ...repos,
              copyRequests: {
                ...repos.copyRequests,
                appendSteps: async () => {
                  throw new Error('disk full');
                },
              },
            } satisfies Repositories),
          ),
      };
      const dispatched: string[] = [];
      const failing = new RequestService({
        ...deps,
        uow: failingUow,
        mail: {
          queueWithin: (repos, e) => ctx.services.mail.queueWithin(repos, e),
          dispatch: async (...ids) => void dispatched.push(...ids),
        },
      });
      await expect(failing.refer(chair, r.id, r.version, referral(), as(chair))).rejects.toThrow('disk full');
      expect((await readOutbox(ctx.services.database)).length).toBe(mailBefore);
      expect(dispatched).toEqual([]);
      expect((await service.get(chair, r.id, as(chair))).state).toBe('received');
    });

    it('sends the copy as one unit of work: when recording the request as sent fails, no delivery, email or step remains (A-6)', async () => {
      const r = await toVerified();
      let v = (await service.prepareCopy(support, r.id, r.version, await readyCopy(r.id), as(support))).version;
      v = (await service.approveCopy(support2, r.id, v, as(support2))).version;
      const mailBefore = (await readOutbox(ctx.services.database)).length;
      const deps = depsOf(service);
      // The delivery is made and its email queued, then saving the request fails.
      const failingUow: UnitOfWork = {
        read: (fn) => deps.uow.read(fn),
        run: (fn) =>
          deps.uow.run((repos) =>
            fn({
              ...repos,
              copyRequests: {
                ...repos.copyRequests,
                update: async () => {
                  throw new Error('disk full');
                },
              },
            } satisfies Repositories),
          ),
      };
      const dispatched: string[] = [];
      const failing = new RequestService({
        ...deps,
        uow: failingUow,
        mail: {
          queueWithin: (repos, e) => ctx.services.mail.queueWithin(repos, e),
          dispatch: async (...ids) => void dispatched.push(...ids),
        },
      });
      await expect(failing.sendCopy(support, r.id, v, {}, as(support))).rejects.toThrow('disk full');
      expect(await ctx.services.uow.run((repos) => repos.deliveries.listForRequest(r.id))).toEqual([]);
      expect((await readOutbox(ctx.services.database)).length).toBe(mailBefore);
      expect(dispatched).toEqual([]);
      const after = await service.get(support, r.id, as(support));
      expect(after).toMatchObject({ state: 'copy-approved', version: v, delivery: null });
      expect(after.timeline.map((s) => s.action)).not.toContain('send');
      expect((await auditRows(ctx, 'delivery.created')).filter((a) => a.details?.['requestId'] === r.id)).toEqual([]);

      // A version the user did not see is refused before anything is made; the right one sends it.
      await expect(service.sendCopy(support, r.id, v - 1, {}, as(support))).rejects.toBeInstanceOf(StaleRecordError);
      await expect(
        service.sendCopy(support, r.id, v, { email: 'someone.else@example.org' }, as(support)),
      ).rejects.toMatchObject({ field: 'email' });
      expect(await ctx.services.uow.run((repos) => repos.deliveries.listForRequest(r.id))).toEqual([]);
      const sent = await service.sendCopy(support, r.id, v, {}, as(support));
      expect(sent.state).toBe('sent');
      expect((await ctx.services.uow.run((repos) => repos.deliveries.listForRequest(r.id))).map((d) => d.id)).toEqual([
        sent.deliveryId,
      ]);
    });

    it('the work queue: open requests soonest due first with RAG, filtered by step; chairs see theirs', async () => {
      // Received 14 April: due Thursday 14 May, three working days away (amber).
      const early = await service.receive(
        chair,
        { conferenceId: g.conferenceId, receivedOn: '2026-04-14', requester: mumRequester() },
        as(chair),
      );
      const other = await service.receive(
        chair2,
        { conferenceId: g.conferenceId, receivedOn: '2026-05-11', requester: mumRequester() },
        as(chair2),
      );
      await service.refer(chair, early.id, early.version, referral(), as(chair));
      const all = await service.queue(support, {}, as(support));
      expect(all.onlyOwn).toBe(false);
      const ids = all.rows.map((row) => row.id);
      expect(ids.indexOf(early.id)).toBeLessThan(ids.indexOf(other.id));
      expect(all.rows.every((row) => !['closed', 'refused', 'withdrawn'].includes(row.state))).toBe(true);
      const dues = all.rows.map((row) => row.dueOn);
      expect(dues).toEqual([...dues].sort());
      expect(all.rows.find((row) => row.id === early.id)).toMatchObject({
        dueOn: '2026-05-14',
        status: { status: 'due-soon', workingDaysLeft: 3 },
        state: 'referred',
      });
      expect(all.rows.find((row) => row.id === other.id)).toMatchObject({
        chair: { id: chair2.id },
        status: { status: 'on-track' },
        requesterName: 'Grace Okafor',
        reference: expect.stringMatching(/^CR-2026-\d{4}$/),
      });
      expect(all.counts.received).toBeGreaterThan(0);

      const referredOnly = await service.queue(support, { steps: ['referred'] }, as(support));
      expect(referredOnly.rows.map((row) => row.id)).toContain(early.id);
      expect(referredOnly.rows.every((row) => row.state === 'referred')).toBe(true);
      const dueSoon = await service.queue(support, { statuses: ['due-soon'] }, as(support));
      expect(dueSoon.rows.map((row) => row.id)).toEqual([early.id]);

      const theirs = await service.queue(chair2, {}, as(chair2));
      expect(theirs.onlyOwn).toBe(true);
      expect(theirs.rows.map((row) => row.id)).toEqual([other.id]);
      // A social worker not allocated to the children sees none of them.
      expect((await service.queue(otherSw, {}, as(otherSw))).rows).toEqual([]);
      await service.withdraw(chair2, other.id, other.version, 'No longer wanted', as(chair2));
      expect((await service.queue(support, {}, as(support))).rows.map((row) => row.id)).not.toContain(other.id);
      const finished = await service.queue(support, { includeFinished: true, steps: ['withdrawn'] }, as(support));
      expect(finished.rows.map((row) => row.id)).toContain(other.id);
    });

    it('gives the disclosure copy service the ranges to withhold, with the chair as approver', async () => {
      const r = await referred();
      const plan = await service.disclosurePlan(support, r.id, as(support));
      expect(plan).toEqual({
        requestId: r.id,
        conferenceId: g.conferenceId,
        recordingIds: [recordingId],
        withheld: [
          {
            recordingId,
            startMs: 60_000,
            endMs: 120_000,
            reason: 'police',
            explanation: 'Police intelligence',
            approvedBy: chair.id,
          },
        ],
      });
    });

    it('keeps the timeline append-only in the database', async () => {
      const r = await mumsRequest();
      await expect(
        ctx.services.database.execute('update copy_request_steps set action = $1 where request_id = $2', [
          'close',
          r.id,
        ]),
      ).rejects.toThrow(/UPDATE refused/);
      await expect(
        ctx.services.database.execute('delete from copy_request_steps where request_id = $1', [r.id]),
      ).rejects.toThrow(/DELETE refused/);
      await expect(ctx.services.database.execute('delete from copy_requests where id = $1', [r.id])).rejects.toThrow(
        /DELETE refused/,
      );
    });
  });
});
