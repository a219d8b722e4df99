import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, StaleRecordError } from '../../domain/shared/errors.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../test/support/conferences.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { attendanceAnswers, inviteSupporter } from '../../../test/support/participation.ts';
import { as, problemsOf } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { ChildAttendanceRequest, ParticipationService } from './service.ts';

const PDF = new TextEncoder().encode('%PDF-1.7\nwhat I want the conference to know\n%%EOF\n');

const fieldsOf = async (p: Promise<unknown>) => (await problemsOf(p)).map(([field]) => field);

async function bytesOf(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

const decision = (over: Partial<ChildAttendanceRequest> = {}): ChildAttendanceRequest => ({
  ...attendanceAnswers(over),
  version: over.version ?? 0,
});

describe.each(testDatabases())('participation in a conference (%s)', (kind) => {
  let ctx: TestContext;
  let service: ParticipationService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let stranger: Actor;
  let g: SiblingGroupConference;
  let supporter: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.participation;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    stranger = await staff(ctx, 'Sol Other', ['social_worker']);
    ctx.clock.current = new Date('2026-02-23T10:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    // The mother's friend, coming to support her.
    supporter = await inviteSupporter(ctx, sw, g);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** The social worker records the decision for Ava (12): the answers in `decision`, changed by `over`. */
  const recordForAva = (over: Partial<ChildAttendanceRequest>) =>
    service.recordChildAttendance(sw, g.conferenceId, g.children.ava, decision(over), as(sw));

  describe('002 §3.2: whether a child attends', () => {
    it('002 §3.2: the seed’s questions, the advice and the child’s wish are recorded per child, and audited without personal data', async () => {
      const view = await service.recordChildAttendance(
        sw,
        g.conferenceId.toUpperCase(),
        g.children.ava,
        decision({
          childWish: 'part',
          decision: 'part',
          partArrangements: 'She joins for the plan, with her advocate.',
        }),
        as(sw),
      );
      const ava = view.children.find((c) => c.childId === g.children.ava)!;
      expect(ava).toMatchObject({
        age: 12,
        presumedEligible: true,
        attendance: {
          decision: 'part',
          childWish: 'part',
          understands: 'yes',
          partArrangements: 'She joins for the plan, with her advocate.',
          version: 1,
          recordedByName: 'Sam Worker',
        },
      });
      // Part attendance is what she wished: no reason is needed.
      expect(ava.attendance!.reason).toBeNull();
      const rows = await auditRows(ctx, 'participation.child-attendance.record');
      expect(JSON.stringify(rows.at(-1)!.details)).not.toMatch(/mother|advocate|Ava/i);
    });

    it('002 §3.2: a child who wishes to attend does, unless a reason shows it is against their best interests', async () => {
      expect(await fieldsOf(recordForAva({ version: 1, decision: 'not-attend', viewsRoutes: ['written'] }))).toEqual([
        'reason',
      ]);
      await expect(recordForAva({ version: 0 })).rejects.toBeInstanceOf(StaleRecordError);
    });

    it('002 §3.2: a child of 12 or over is presumed eligible: not attending needs a reason, unless it is their own wish', async () => {
      const base = { version: 1, childWish: 'not-known', decision: 'not-attend', viewsRoutes: ['social-worker'] };
      expect(await fieldsOf(recordForAva(base))).toEqual(['reason']);
      // Ben is 6: no reason is needed for him not to attend.
      const view = await service.recordChildAttendance(
        sw,
        g.conferenceId,
        g.children.ben,
        decision({ ...base, version: 0 }),
        as(sw),
      );
      expect(view.children.find((c) => c.childId === g.children.ben)).toMatchObject({
        presumedEligible: false,
        attendance: { decision: 'not-attend', reason: null, viewsRoutes: ['social-worker'] },
      });
    });

    it('002 §3.2: a child’s refusal is respected: a decision that they attend, or attend part, is refused', async () => {
      for (const d of ['attend', 'part'])
        await expect(
          recordForAva({ version: 1, childWish: 'not-attend', decision: d, partArrangements: 'x' }),
        ).rejects.toMatchObject({ code: 'CHILD_REFUSED' });
    });

    it('002 §3.2: a child who does not attend has their views conveyed another way, checked by the chair once on the record', async () => {
      expect(await fieldsOf(recordForAva({ version: 1, childWish: 'not-attend', decision: 'not-attend' }))).toEqual([
        'viewsRoutes',
      ]);
      await recordForAva({
        version: 1,
        childWish: 'not-attend',
        decision: 'not-attend',
        viewsRoutes: ['chair-pre-meeting', 'advocate'],
      });
      // Only the chair confirms; and only once the child's views are on the conference's record.
      await expect(service.checkChildViews(sw, g.conferenceId, g.children.ava, as(sw))).rejects.toBeInstanceOf(
        AccessDeniedError,
      );
      await expect(service.checkChildViews(chair, g.conferenceId, g.children.ava, as(chair))).rejects.toMatchObject({
        code: 'NO_VIEWS',
      });
      await ctx.services.meeting.recordChildViews(
        chair,
        g.conferenceId,
        g.children.ava,
        { views: 'She told the chair she wants to stay with her mother.' },
        as(chair),
      );
      const view = await service.checkChildViews(chair, g.conferenceId, g.children.ava, as(chair));
      expect(view.children.find((c) => c.childId === g.children.ava)).toMatchObject({
        viewsRecorded: true,
        attendance: { viewsCheckedByName: 'Cal Chair' },
      });
      const denied = await auditRows(ctx, 'participation.child-views.check');
      expect(denied.some((r) => r.outcome === 'denied')).toBe(true);
    });
  });

  describe('002 §3.2: friends, supporters and advocates', () => {
    it('002 §3.2: only the chair bars a friend or supporter, with a reason; the register cannot record them as attending', async () => {
      await expect(
        service.barSupporter(sw, g.conferenceId, supporter, { reason: 'disruptive', detail: '' }, as(sw)),
      ).rejects.toBeInstanceOf(AccessDeniedError);
      expect(
        await fieldsOf(
          service.barSupporter(chair, g.conferenceId, supporter, { reason: 'other', detail: ' ' }, as(chair)),
        ),
      ).toEqual(['detail']);
      await expect(
        service.barSupporter(
          chair,
          g.conferenceId,
          g.invitee.advocate,
          { reason: 'disruptive', detail: '' },
          as(chair),
        ),
      ).rejects.toMatchObject({ code: 'NOT_BARRABLE' });
      const view = await service.barSupporter(
        chair,
        g.conferenceId,
        supporter,
        { reason: 'risk-to-children', detail: 'Police information shared with the chair.' },
        as(chair),
      );
      expect(view.supporters.find((s) => s.inviteeId === supporter)).toMatchObject({
        kind: 'supporter',
        bar: { reason: 'risk-to-children', barredByName: 'Cal Chair' },
      });
      const audit = await auditRows(ctx, 'participation.supporter.bar');
      expect(audit.at(-1)!.details).toEqual({ inviteeId: supporter, reason: 'risk-to-children' });

      // The register (business support) cannot mark them as attending.
      const problems = await problemsOf(
        ctx.services.meeting.recordAttendance(
          support,
          g.conferenceId,
          g.partId,
          [{ inviteeId: supporter, status: 'attended', joinedAt: null, leftAt: null, interpreterUsed: false }],
          as(support),
        ),
      );
      expect(problems).toEqual([[`status-${supporter}`, expect.stringContaining('barred')]]);
      const meeting = await ctx.services.meeting.getMeeting(chair, g.conferenceId, as(chair));
      expect(meeting.barredInviteeIds).toEqual([supporter]);

      // Lifting the bar is the chair's, and audited.
      const lifted = await service.liftBar(chair, g.conferenceId, supporter, as(chair));
      expect(lifted.supporters.find((s) => s.inviteeId === supporter)!.bar).toBeNull();
    });

    it('002 §3.2: an advocate’s role: whom they speak for, and that they found out the view before the conference', async () => {
      expect(
        await fieldsOf(
          service.recordAdvocateRole(
            sw,
            g.conferenceId,
            g.invitee.advocate,
            {
              speaksFor: `parent:${g.invitee.police}`,
              viewAscertained: 'yes',
              viewAscertainedOn: '2026-03-03',
              note: '',
            },
            as(sw),
          ),
        ),
      ).toEqual(['speaksFor', 'viewAscertainedOn']);
      const view = await service.recordAdvocateRole(
        sw,
        g.conferenceId,
        g.invitee.advocate,
        { speaksFor: `parent:${g.invitee.mother}`, viewAscertained: 'yes', viewAscertainedOn: '2026-02-20', note: '' },
        as(sw),
      );
      expect(view.supporters.find((s) => s.inviteeId === g.invitee.advocate)!.advocateRole).toMatchObject({
        speaksFor: { kind: 'parent', inviteeId: g.invitee.mother },
        speaksForName: 'Grace Okafor',
        viewAscertainedOn: '2026-02-20',
      });
    });
  });

  describe('002 §3.2, 001: parents’ own reports and the help offered', () => {
    it('002 §3.2: a parent’s report, a file checked by its content or typed text, is stored and read back, audited', async () => {
      expect(
        await fieldsOf(
          service.addParentReport(
            sw,
            g.conferenceId,
            g.invitee.mother,
            { file: new Uint8Array([0, 1, 2, 255]) },
            as(sw),
          ),
        ),
      ).toEqual(['file']);
      expect(
        await fieldsOf(service.addParentReport(sw, g.conferenceId, g.invitee.mother, { text: ' ' }, as(sw))),
      ).toEqual(['text']);
      // Only a parent or carer sends a report of their own.
      await expect(
        service.addParentReport(sw, g.conferenceId, g.invitee.police, { text: 'x' }, as(sw)),
      ).rejects.toMatchObject({ code: 'NOT_A_PARENT' });
      const file = await service.addParentReport(sw, g.conferenceId, g.invitee.mother, { file: PDF }, as(sw));
      const typed = await service.addParentReport(
        sw,
        g.conferenceId,
        g.invitee.father,
        { text: 'I want to be at home for the children.' },
        as(sw),
      );
      expect(file).toMatchObject({
        source: 'file',
        format: 'pdf',
        parentName: 'Grace Okafor',
        receivedOn: '2026-02-23',
      });
      expect(typed).toMatchObject({ source: 'typed', format: 'txt', parentName: 'Daniel Mensah' });
      expect(file).not.toHaveProperty('blobKey');
      const opened = await service.openParentReport(chair, g.conferenceId, typed.id, as(chair));
      expect(opened.mediaType).toBe('text/plain; charset=utf-8');
      expect(await bytesOf(opened.stream)).toBe('I want to be at home for the children.');
      // Someone without access to the children is refused, and the refusal audited.
      await expect(service.openParentReport(stranger, g.conferenceId, typed.id, as(stranger))).rejects.toBeInstanceOf(
        AccessDeniedError,
      );
      const denied = await auditRows(ctx, 'participation.parent-report.download');
      expect(denied.map((r) => r.outcome)).toEqual(['success', 'denied']);
      // The stored files are kept by the sweep.
      expect(await service.referencedBlobKeys()).toHaveLength(2);
    });

    it('002 §3.2: help offered or arranged is recorded with who arranges it; a disability’s requirements are spelt out', async () => {
      expect(
        await fieldsOf(
          service.recordHelp(
            sw,
            g.conferenceId,
            g.invitee.mother,
            { kind: 'disability', status: 'arranged', arrangedBy: '', details: '' },
            as(sw),
          ),
        ),
      ).toEqual(['arrangedBy', 'details']);
      await service.recordHelp(
        sw,
        g.conferenceId,
        g.invitee.mother,
        { kind: 'travel', status: 'arranged', arrangedBy: 'Sam Worker', details: 'Taxi booked both ways' },
        as(sw),
      );
      const view = await service.recordHelp(
        sw,
        g.conferenceId,
        g.invitee.mother,
        { kind: 'childcare', status: 'declined', arrangedBy: '', details: '' },
        as(sw),
      );
      expect(view.parents.find((p) => p.inviteeId === g.invitee.mother)!.help).toEqual([
        expect.objectContaining({ kind: 'travel', status: 'arranged', arrangedBy: 'Sam Worker' }),
        expect.objectContaining({ kind: 'childcare', status: 'declined', arrangedBy: null }),
      ]);
    });
  });

  it('per-record access: someone who cannot see the children sees nothing, and the refusal is audited', async () => {
    await expect(service.overview(stranger, g.conferenceId, as(stranger))).rejects.toBeInstanceOf(AccessDeniedError);
    const view = await service.overview(support, g.conferenceId, as(support));
    expect(view.children.map((c) => c.name)).toEqual(['Ava Okafor', 'Ben Okafor']);
    const rows = await auditRows(ctx, 'participation.view');
    expect(rows.map((r) => r.outcome)).toEqual(['denied', 'success']);
  });
});
