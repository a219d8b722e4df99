import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { type SiblingFixture, initialInput, siblingFixture } from '../../../test/support/convening.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { as, problemsOf } from '../../../test/support/recording-to-record.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { ConferenceRequestsService } from './service.ts';

describe.each(testDatabases())('a conference convened from a professional’s request (%s)', (kind) => {
  let ctx: TestContext;
  let service: ConferenceRequestsService;
  let f: SiblingFixture;
  let tm: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.conferenceRequests;
    f = await siblingFixture(ctx, 'Answers');
    tm = await staff(ctx, 'Tia Manager', ['team_manager']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const request = (childId: string, email: string | null) =>
    service.record(
      f.sw,
      childId,
      {
        requesterKind: 'described',
        name: 'Dr Rae Gp',
        agency: 'Mill Lane Surgery',
        role: 'GP',
        email,
        reasons: 'Bruising seen at two appointments.',
        support: 'none',
      },
      as(f.sw),
    );

  it('002 §1.1: convening from an agreed request links the conference to it, shows "Conference convened" and emails the professional the date', async () => {
    const r = await request(f.ava, 'rae.gp@surgery.example');
    await service.decide(tm, r.id, { decision: 'agree' }, as(tm));
    const { id } = await ctx.services.convening.convene(
      f.sw,
      initialInput(f, { conferenceRequestId: r.id.toUpperCase() }),
      as(f.sw),
    );
    const seen = await service.detail(f.sw, r.id, as(f.sw));
    expect(seen).toMatchObject({
      status: { value: 'agreed', label: 'Conference convened' },
      conference: { id, scheduledDate: '2026-03-16', href: `/conferences/${id}` },
      conveneLink: null,
      requesterToldOfConference: true,
    });
    const [mail] = await readOutbox(ctx.services.database, {
      to: 'rae.gp@surgery.example',
      template: 'conference-request-convened',
    });
    expect(mail!.body).toContain('16 March 2026');
    expect(mail!.body).not.toContain('Ava');
    const [audit] = (await auditRows(ctx, 'conference-request.convened')).filter((a) => a.subjectId === r.id);
    expect(audit!.details).toEqual({ childId: f.ava, conferenceId: id, requesterEmailed: true });
    const [created] = (await auditRows(ctx, 'conference.create')).filter((a) => a.subjectId === id);
    expect(created!.details).toMatchObject({ conferenceRequestId: r.id });
  });

  it('002 §1.1: a request is answered by one conference only: a second convening from it is refused and nothing is convened', async () => {
    const r = await request(f.ben, null);
    await service.decide(tm, r.id, { decision: 'agree' }, as(tm));
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f, { conferenceRequestId: r.id }), as(f.sw));
    const before = (await auditRows(ctx, 'conference.create')).length;
    expect(
      await problemsOf(
        ctx.services.convening.convene(
          f.sw,
          initialInput(f, { conferenceRequestId: r.id, scheduledDate: '2026-03-17' }),
          as(f.sw),
        ),
      ),
    ).toEqual([['conferenceRequestId', 'A conference has already been convened for this request']]);
    expect((await auditRows(ctx, 'conference.create')).length).toBe(before);
    const seen = await service.detail(f.sw, r.id, as(f.sw));
    expect(seen.conference?.id).toBe(id);
    // No email address: the page says to tell them another way.
    expect(seen.requesterToldOfConference).toBe(false);
  });

  it('002 §1.1: only an agreed request about one of the conference’s children is answered by it', async () => {
    const waiting = await request(f.ava, null);
    expect(
      await problemsOf(
        ctx.services.convening.convene(f.sw, initialInput(f, { conferenceRequestId: waiting.id }), as(f.sw)),
      ),
    ).toEqual([['conferenceRequestId', 'Only an agreed request for a conference can be answered by one']]);
    const other = await request(f.ben, null);
    await service.decide(tm, other.id, { decision: 'agree' }, as(tm));
    expect(
      await problemsOf(
        ctx.services.convening.convene(
          f.sw,
          initialInput(f, { childIds: [f.ava], conferenceRequestId: other.id }),
          as(f.sw),
        ),
      ),
    ).toEqual([
      ['conferenceRequestId', 'The conference must be about the child the request for a conference was made about'],
    ]);
    expect((await service.detail(f.sw, other.id, as(f.sw))).conference).toBeNull();
  });
});
