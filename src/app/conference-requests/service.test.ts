import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { type SiblingFixture, siblingFixture } from '../../../test/support/convening.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { as, problemsOf } from '../../../test/support/recording-to-record.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { ConferenceRequestsService } from './service.ts';

describe.each(testDatabases())('professionals asking for a conference (%s)', (kind) => {
  let ctx: TestContext;
  let service: ConferenceRequestsService;
  let f: SiblingFixture;
  let tm: Actor;
  let otherSw: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.conferenceRequests;
    f = await siblingFixture(ctx, 'Asks');
    tm = await staff(ctx, 'Tam Manager', ['team_manager']);
    otherSw = await staff(ctx, 'Ola Other', ['social_worker']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §1.1: staff record a request from a professional on the child’s record; it waits for a team manager, audited by id', async () => {
    const { professionals } = await service.requesterChoices(f.support, f.ava, as(f.support));
    expect(professionals.map((p) => p.professionalId)).toContain(f.teacher);
    const r = await service.record(
      f.support,
      f.ava.toUpperCase(),
      {
        requesterKind: 'on-record',
        professionalId: f.teacher,
        reasons: 'Ava has told her teacher she is afraid to go home.',
        support: 'none',
      },
      as(f.support),
    );
    expect(r).toMatchObject({
      childId: f.ava,
      requester: { professionalId: f.teacher, agency: 'Mill Lane Primary', email: 'tess@school.example' },
      status: { value: 'awaiting-decision' },
      support: { supported: false },
      decision: null,
      conveneLink: null,
    });
    const [audit] = (await auditRows(ctx, 'conference-request.record')).filter((a) => a.subjectId === r.id);
    expect(audit!.details).toMatchObject({ childId: f.ava, professionalId: f.teacher, support: 'none' });
    expect(JSON.stringify(audit!.details)).not.toContain('afraid');
    expect((await service.forChild(f.sw, f.ava, as(f.sw))).map((x) => x.id)).toContain(r.id);
    expect((await service.waiting(tm, as(tm))).map((x) => x.id)).toContain(r.id);
  });

  it('002 §1.1: a professional not on the record is named with agency and role; what is missing is said field by field', async () => {
    expect(
      (await problemsOf(service.record(f.sw, f.ava, { requesterKind: 'described' }, as(f.sw)))).map(([k]) => k),
    ).toEqual(['name', 'agency', 'role', 'reasons', 'support']);
    expect(
      (
        await problemsOf(
          service.record(
            f.sw,
            f.ava,
            { requesterKind: 'on-record', professionalId: f.healthVisitor, reasons: 'x', support: 'none' },
            as(f.sw),
          ),
        )
      ).map(([k]) => k),
    ).toEqual(['professionalId']);
  });

  it('002 §1.1: a team manager agrees: convening starts from the child, and the professional is emailed through the outbox', async () => {
    const r = await service.record(
      f.sw,
      f.ben,
      {
        requesterKind: 'described',
        name: 'Dr Lee Gp',
        agency: 'Mill Lane Surgery',
        role: 'GP',
        email: 'lee.gp@surgery.example',
        reasons: 'Unexplained injuries at two appointments.',
        support: 'named-professional',
        supporterName: 'Nia Named',
      },
      as(f.sw),
    );
    await expect(service.decide(f.sw, r.id, { decision: 'agree' }, as(f.sw))).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = (await auditRows(ctx, 'conference-request.decide')).filter(
      (a) => a.subjectId === r.id && a.outcome === 'denied',
    );
    expect(denied).toHaveLength(1);
    const agreed = await service.decide(tm, r.id, { decision: 'agree' }, as(tm));
    expect(agreed).toMatchObject({
      status: { value: 'agreed' },
      conveneLink: `/conferences/new?child=${f.ben}&request=${r.id}`,
      requesterEmailed: true,
    });
    const [mail] = await readOutbox(ctx.services.database, {
      to: 'lee.gp@surgery.example',
      template: 'conference-request-decided',
    });
    expect(mail!.body).toContain('has been agreed');
    expect(mail!.body).not.toContain('Ben');
    await expect(service.decide(tm, r.id, { decision: 'agree' }, as(tm))).rejects.toBeInstanceOf(ConflictError);
    expect((await service.waiting(tm, as(tm))).map((x) => x.id)).not.toContain(r.id);
  });

  it('002 §1.1: declining needs the reasons and the discussion; a supported request also needs why it is the exception', async () => {
    const r = await service.record(
      f.sw,
      f.ava,
      {
        requesterKind: 'on-record',
        professionalId: f.officer,
        reasons: 'A known offender has been seen visiting the home.',
        support: 'senior-manager',
        supporterName: 'Sid Senior',
      },
      as(f.sw),
    );
    expect((await problemsOf(service.decide(tm, r.id, { decision: 'decline' }, as(tm)))).map(([k]) => k)).toEqual([
      'reasons',
      'discussion',
      'exceptionReason',
    ]);
    const [only] = await problemsOf(
      service.decide(tm, r.id, { decision: 'decline', reasons: 'r', discussion: 'd' }, as(tm)),
    );
    expect(only![1]).toContain('should normally be agreed');
    const declined = await service.decide(
      tm,
      r.id,
      {
        decision: 'decline',
        reasons: 'The visitor has left the area; a child in need plan is in place.',
        discussion: 'Discussed with the officer and Sid Senior on 2 March.',
        exceptionReason: 'New information since the request was supported.',
      },
      as(tm),
    );
    expect(declined).toMatchObject({
      status: { value: 'declined' },
      conveneLink: null,
      decision: { exceptionReason: 'New information since the request was supported.' },
    });
    const [mail] = await readOutbox(ctx.services.database, { to: 'pat@police.example' });
    expect(mail!.body).toContain('The visitor has left the area');
  });

  it('002 §1.1: per-record access: a social worker not allocated to the child sees none of it; only team managers have the queue', async () => {
    await expect(service.forChild(otherSw, f.ava, as(otherSw))).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      service.record(
        otherSw,
        f.ava,
        { requesterKind: 'on-record', professionalId: f.teacher, reasons: 'x', support: 'none' },
        as(otherSw),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(service.waiting(f.sw, as(f.sw))).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(service.detail(f.sw, 'not-an-id', as(f.sw))).rejects.toBeInstanceOf(NotFoundError);
    const denials = (await auditRows(ctx, 'conference-request.list')).filter((a) => a.outcome === 'denied');
    expect(denials.at(-1)).toMatchObject({ subjectId: f.ava, details: { reason: 'not the allocated social worker' } });
  });
});
