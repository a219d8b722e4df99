import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessages } from '../../../infra/db/mail-schema.ts';
import { invitationIssues } from '../../../infra/db/schema.ts';
import { type SiblingFixture, ctxOf, initialInput, siblingFixture } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';

describe.each(testDatabases())('a change of chair told as other changes are (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx, 'Newchair');
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** Grace (email), Dev (no email) and the teacher (email) invited and sent letters, unless `sent` is false. */
  async function convened(sent = true) {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const s = sent ? { sent: { method: 'letter', sentOn: '2026-03-02' } } : {};
    const invitees = await ctx.services.convening.invite(
      f.support,
      id,
      [
        { kind: 'family-member', personId: f.grace, interpreterNeeded: false, ...s },
        { kind: 'family-member', personId: f.dev, ...s },
        { kind: 'professional', professionalId: f.teacher, directContact: true, ...s },
      ],
      ctxOf(f.support),
    );
    const byName = (name: string) => invitees.find((i) => i.name.startsWith(name))!.id;
    return { id, grace: byName('Grace'), dev: byName('Dev'), teacher: byName('Tess') };
  }

  const mailFor = async (conferenceId: string) =>
    ctx.services.database.db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.subjectType, 'conference'), eq(outboxMessages.subjectId, conferenceId)));

  it('002 §4.1: a new chair joins the conference’s list of changes, and everyone invited is sent a new invitation naming them (emailed where they have an address)', async () => {
    const c = await convened();
    const nia = await staff(ctx, 'Nia Newchair', ['chair']);
    const r = await ctx.services.chairing.changeChair(
      f.support,
      c.id,
      { chairUserId: nia.id, reason: 'Cal Chair is on leave that week' },
      ctxOf(f.support),
    );
    expect(r.reinvited).toBe(3);
    const life = await ctx.services.rearrangement.lifecycle(f.chair, c.id, ctxOf(f.chair));
    expect(life.changes.map((x) => [x.kind, x.reason, x.changes.map((l) => [l.label, l.from, l.to])])).toEqual([
      ['chair-changed', 'Cal Chair is on leave that week', [['Chair', 'Cal Chair', 'Nia Newchair']]],
    ]);
    // Family and professionals: a new numbered copy naming the new chair; emailed to Grace and the teacher, Dev's to post.
    const issues = await ctx.services.database.db
      .select()
      .from(invitationIssues)
      .where(eq(invitationIssues.conferenceId, c.id));
    for (const who of [c.grace, c.dev, c.teacher]) {
      const latest = issues.filter((i) => i.inviteeId === who).sort((a, b) => b.issueNumber - a.issueNumber)[0]!;
      expect(latest.issueNumber).toBe(2);
      expect(latest.body).toContain('Nia Newchair');
    }
    const mail = await mailFor(c.id);
    expect(mail.map((m) => [m.templateKey, m.toAddress]).sort()).toEqual([
      ['conference-changed', 'grace@example.com'],
      ['conference-changed', 'tess@school.example'],
    ]);
    expect(mail[0]!.body).toContain('Chair: was Cal Chair, now Nia Newchair');
    expect(life.sending.find((s) => s.inviteeId === c.dev)).toMatchObject({ state: 'to-post', issueNumber: 2 });
    const [audit] = (await auditRows(ctx, 'conference.chair.change')).filter((a) => a.subjectId === c.id);
    expect(audit!.details).toEqual({
      fromChairUserId: f.chair.id,
      chairUserId: nia.id,
      changeId: r.changeId,
      reinvited: 3,
    });
  });

  it('002 §4.1: before anyone is sent an invitation, the change is still listed (no reason given) and nobody is emailed', async () => {
    const c = await convened(false);
    const ola = await staff(ctx, 'Ola Otherchair', ['chair']);
    const r = await ctx.services.chairing.changeChair(f.support, c.id, { chairUserId: ola.id }, ctxOf(f.support));
    expect(r.reinvited).toBe(0);
    const life = await ctx.services.rearrangement.lifecycle(f.chair, c.id, ctxOf(f.chair));
    expect(life.changes.map((x) => [x.kind, x.reason])).toEqual([['chair-changed', 'No reason given']]);
    expect(await mailFor(c.id)).toEqual([]);
  });
});
