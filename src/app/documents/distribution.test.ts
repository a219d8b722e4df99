import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import { documentDistributionOverrides } from '../../infra/db/distribution-schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { siblingGroupConference } from '../../../test/support/conferences.ts';
import { heldConferenceForRecord } from '../../../test/support/written-record.ts';
import { REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { DocumentService } from './document-service.ts';
import type { DistributionView } from './use-cases.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

async function problems(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => `${x.field}: ${x.message}`);
    throw err;
  }
  throw new Error('expected the change to be refused');
}

const entry = (view: DistributionView, inviteeId: string | null) => {
  const e = view.entries.find((x) => x.inviteeId === inviteeId);
  if (!e) throw new Error('not on the list');
  return e;
};

describe.each(testDatabases())('who gets what (%s)', (kind) => {
  let ctx: TestContext;
  let documents: DocumentService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let stranger: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    documents = ctx.services.documents;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    stranger = await staff(ctx, 'Stan Stranger', ['social_worker']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const held = (): Promise<SiblingGroupConference> =>
    heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });

  async function started(g: SiblingGroupConference, kind: 'decision-letter' | 'plan-and-core-group-letter') {
    return documents.startDraft(support, g.conferenceId, { kind, subjectInviteeId: null }, as(support));
  }

  it('W-4: the list says who receives the decision letter and why; issuing follows it, changes by hand included', async () => {
    const g = await held();
    const draft = await started(g, 'decision-letter');
    const before = await documents.distribution(support, g.conferenceId, draft.id, as(support));
    expect(entry(before, null)).toMatchObject({ included: true, copy: { kind: 'full' } });
    expect(entry(before, g.invitee.mother)).toMatchObject({ included: true, copy: { kind: 'parent' } });
    expect(entry(before, g.invitee.mother).reason).toBe('Invited parent with parental responsibility; attended');
    expect(entry(before, g.invitee.healthVisitor).included).toBe(true);
    expect(entry(before, g.invitee.healthVisitor).reason).toContain('whether or not present');
    expect(entry(before, g.invitee.advocate)).toMatchObject({ included: false });
    expect(entry(before, g.invitee.advocate).reason).toContain('never receives the record');
    expect(entry(before, g.invitee.ava)).toMatchObject({ included: false });
    expect(before.can).toEqual({ change: true, recordInvolvement: true });
    expect((await auditRows(ctx, 'documents.distribution.view')).length).toBeGreaterThan(0);

    // W-4: the GP's surgery said it has no current or planned involvement: it is left out, with when and why.
    await documents.recordNoInvolvement(
      support,
      g.conferenceId,
      g.invitee.gp,
      { saidOn: '2026-02-20', note: 'Family registered elsewhere since January' },
      as(support),
    );
    const gp = entry(await documents.distribution(chair, g.conferenceId, draft.id, as(chair)), g.invitee.gp);
    expect(gp.included).toBe(false);
    expect(gp.reason).toBe(
      'The agency said on 20 February 2026 it has no current or planned involvement, so it is not sent the record: Family registered elsewhere since January',
    );
    const said = await auditRows(ctx, 'documents.distribution.no-involvement');
    expect(said.at(-1)?.details).toMatchObject({ inviteeId: g.invitee.gp, recorded: true, saidOn: '2026-02-20' });
    expect(JSON.stringify(said.map((r) => r.details))).not.toContain('registered elsewhere');
    // Only a professional's invitation carries it; a date in the future is refused.
    await expect(
      documents.recordNoInvolvement(
        support,
        g.conferenceId,
        g.invitee.mother,
        { saidOn: '2026-02-20', note: null },
        as(support),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(
      await problems(
        documents.recordNoInvolvement(
          support,
          g.conferenceId,
          g.invitee.gp,
          { saidOn: '2999-01-01', note: null },
          as(support),
        ),
      ),
    ).toEqual(['saidOn: The date the agency said so must be today or before']);

    // W-4: a change by hand needs a reason; an advocate is never added.
    expect(
      await problems(
        documents.changeDistribution(
          support,
          g.conferenceId,
          draft.id,
          { inviteeId: g.invitee.ava, action: 'add', reason: ' ' },
          as(support),
        ),
      ),
    ).toEqual(['reason: Enter why they should receive it']);
    expect(
      (
        await problems(
          documents.changeDistribution(
            chair,
            g.conferenceId,
            draft.id,
            { inviteeId: g.invitee.advocate, action: 'add', reason: 'The mother asked' },
            as(chair),
          ),
        )
      )[0],
    ).toMatch(/^inviteeId: Ada Advocate is an advocate: .* never receive the record$/);
    // Someone who may see the record but does not write it is refused, and the refusal audited.
    await expect(
      documents.changeDistribution(
        sw,
        g.conferenceId,
        draft.id,
        { inviteeId: g.invitee.ava, action: 'add', reason: 'Ava asked' },
        as(sw),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(documents.distribution(stranger, g.conferenceId, draft.id, as(stranger))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );

    const added = await documents.changeDistribution(
      chair,
      g.conferenceId,
      draft.id,
      { inviteeId: g.invitee.ava, action: 'add', reason: 'Ava is 12 and asked for her own copy' },
      as(chair),
    );
    expect(entry(added, g.invitee.ava)).toMatchObject({
      included: true,
      copy: { kind: 'child' },
      reason: 'Added by Cal Chair: Ava is 12 and asked for her own copy',
      override: { action: 'add', by: 'Cal Chair', reason: 'Ava is 12 and asked for her own copy' },
    });
    const removed = await documents.changeDistribution(
      support,
      g.conferenceId,
      draft.id,
      {
        inviteeId: g.invitee.police,
        action: 'remove',
        reason: 'The officer has left the unit; the unit has the record',
      },
      as(support),
    );
    expect(entry(removed, g.invitee.police)).toMatchObject({ included: false, override: { by: 'Bo Support' } });
    const changes = await auditRows(ctx, 'documents.distribution.change');
    expect(changes.slice(-2).map((r) => r.details)).toEqual([
      { draftId: draft.id, issueNumber: 1, inviteeId: g.invitee.ava, action: 'add' },
      { draftId: draft.id, issueNumber: 1, inviteeId: g.invitee.police, action: 'remove' },
    ]);

    // Every change is kept as it was made: the table refuses changing one.
    await expect(
      ctx.services.database.db.update(documentDistributionOverrides).set({ reason: 'Changed later' }),
    ).rejects.toThrow();

    // Issuing makes a copy for each included entry, and for nobody else.
    const current = await documents.draft(support, g.conferenceId, draft.id, as(support));
    const written = await documents.saveSections(
      support,
      g.conferenceId,
      draft.id,
      { version: current.version, sections: { 'plain-english-reasons': 'The home was not safe.' } },
      as(support),
    );
    const approved = await documents.approve(chair, g.conferenceId, draft.id, { version: written.version }, as(chair));
    const issued = await documents.issue(support, g.conferenceId, draft.id, { version: approved.version }, as(support));
    const list = await documents.distribution(support, g.conferenceId, draft.id, as(support));
    const expected = list.entries.filter((e) => e.included).map((e) => `${e.inviteeId ?? 'file'}:${e.copy.kind}`);
    const copies = [...new Set(issued.copies.map((c) => `${c.recipientInviteeId ?? 'file'}:${c.copyKind}`))];
    expect(copies.sort()).toEqual([...expected].sort());
    expect(copies).toContain(`${g.invitee.ava}:child`);
    expect(copies).not.toContain(`${g.invitee.police}:full`);
    expect(copies).not.toContain(`${g.invitee.gp}:full`);
    expect(copies.some((c) => c.startsWith(g.invitee.advocate))).toBe(false);

    // Once issued, the list for that issue is fixed.
    expect(list.can.change).toBe(false);
    await expect(
      documents.changeDistribution(
        support,
        g.conferenceId,
        draft.id,
        { inviteeId: g.invitee.police, action: 'add', reason: 'Sent after all' },
        as(support),
      ),
    ).rejects.toMatchObject({ code: 'DRAFT_STATE' });
  });

  it('002 §3.10: a core group member receives the plan and core group letter even when their agency has no other involvement', async () => {
    const g = await held();
    await documents.recordNoInvolvement(
      support,
      g.conferenceId,
      g.invitee.school,
      { saidOn: '2026-02-01', note: null },
      as(support),
    );
    const plan = await started(g, 'plan-and-core-group-letter');
    const letter = await started(g, 'decision-letter');
    const forPlan = await documents.distribution(support, g.conferenceId, plan.id, as(support));
    expect(entry(forPlan, g.invitee.school)).toMatchObject({ included: true });
    expect(entry(forPlan, g.invitee.school).reason).toMatch(/^Core group member/);
    const forLetter = await documents.distribution(support, g.conferenceId, letter.id, as(support));
    expect(entry(forLetter, g.invitee.school).included).toBe(false);
    // Withdrawn, the agency is sent the record again.
    await documents.recordNoInvolvement(
      support,
      g.conferenceId,
      g.invitee.school,
      { saidOn: null, note: null },
      as(support),
    );
    const again = await documents.distribution(support, g.conferenceId, letter.id, as(support));
    expect(entry(again, g.invitee.school).included).toBe(true);
    expect(again.agencies.find((a) => a.inviteeId === g.invitee.school)?.noInvolvement).toBeNull();
  });
  it('002 §3.2, W-3: a parent excluded from the conference receives the parent’s copy without what the chair marked for an excluded parent', async () => {
    const { meeting } = ctx.services;
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Baptiste' });
    await meeting.openConference(
      chair,
      g.conferenceId,
      { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:00' },
      as(chair),
    );
    await meeting.recordAttendance(
      support,
      g.conferenceId,
      g.partId,
      [g.invitee.socialWorker, g.invitee.police, g.invitee.school, g.invitee.mother].map((inviteeId) => ({
        inviteeId,
        status: 'attended' as const,
        joinedAt: null,
        leftAt: null,
        interpreterUsed: false,
      })),
      as(support),
    );
    await meeting.recordExclusion(
      chair,
      g.conferenceId,
      g.partId,
      g.invitee.father,
      {
        extent: 'full',
        criteria: ['other'],
        otherReason: 'Threats made to the social worker',
        toldOrallyOn: '2026-03-02',
        toldOrallyBy: 'The chair',
        toldInWritingOn: '2026-03-02',
        toldInWritingBy: 'The chair',
        viewsRoutes: ['other'],
        viewsNote: 'Written statement read out',
      },
      as(chair),
    );
    const agencyViews = [g.agencies.csc, g.agencies.police, g.agencies.school].map((agencyId) => ({
      agencyId,
      view: 'agrees' as const,
    }));
    for (const child of [g.children.ava, g.children.ben])
      await meeting.recordDecision(
        chair,
        g.conferenceId,
        child,
        { outcome: 'no-plan', category: null, reasons: 'The children are safe at home', agencyViews },
        as(chair),
      );
    await meeting.recordSummary(
      chair,
      g.conferenceId,
      { worries: 'Few', positives: 'Many', changes: 'None' },
      as(chair),
    );
    await meeting.conclude(chair, g.conferenceId, { actualEndTime: '11:00' }, as(chair));

    const draft = await started(g, 'decision-letter');
    const list = await documents.distribution(support, g.conferenceId, draft.id, as(support));
    const father = entry(list, g.invitee.father);
    expect(father).toMatchObject({ included: true, copy: { kind: 'parent' } });
    expect(father.reason).toMatch(/^Excluded from the conference: receives what the chair agreed/);

    const written = await documents.saveSections(
      support,
      g.conferenceId,
      draft.id,
      { version: draft.version, sections: { 'plain-english-reasons': 'What the police told the conference.' } },
      as(support),
    );
    const withheld = await documents.setWithholding(
      support,
      g.conferenceId,
      draft.id,
      {
        version: written.version,
        blockId: 'plain-english-reasons',
        withholdings: [
          { from: { kind: 'people', people: [{ id: g.invitee.father, name: 'x' }] }, reason: 'excluded-parent' },
        ],
      },
      as(support),
    );
    const approved = await documents.approve(chair, g.conferenceId, draft.id, { version: withheld.version }, as(chair));
    const issued = await documents.issue(support, g.conferenceId, draft.id, { version: approved.version }, as(support));
    const fathers = issued.copies.filter((c) => c.recipientInviteeId === g.invitee.father);
    expect(fathers.map((c) => c.copyKind)).toEqual(['parent', 'parent']);
    for (const c of fathers)
      expect(c.leftOut.map((l) => [l.blockId, l.reasons.map((r) => r.reason)])).toEqual([
        ['plain-english-reasons', ['excluded-parent']],
      ]);
    const mothers = issued.copies.filter((c) => c.recipientInviteeId === g.invitee.mother);
    for (const c of mothers) expect(c.leftOut).toEqual([]);
  });
});
