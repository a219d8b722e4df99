// Viewing a conference (its page's read): one access check against every child, the same rule as each part's own use
// case, and one audited view that says what was seen; every refusal is audited.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import { auditEvents, children } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type SiblingFixture, ctxOf, initialInput, siblingFixture } from '../../../test/support/convening.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';

describe.each(testDatabases())('viewing a conference (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;
  let id: string;

  /** Every audit entry about the conference, oldest first. */
  const audited = async () =>
    (await ctx.services.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id))).sort(
      (a, b) => a.seq - b.seq,
    );

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx);
    ({ id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw)));
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('reads every part of the page after one check and writes one audited view saying what was seen', async () => {
    const before = (await audited()).length;
    const view = await ctx.services.conferenceView.viewConference(f.support, id.toUpperCase(), ctxOf(f.support));
    expect(view.overview.conference.id).toBe(id);
    expect(view.overview.children.map((c) => c.givenNames)).toEqual(['Ava', 'Ben']);
    expect(view.life.sending).toHaveLength(view.overview.invitees.length);
    expect(view.chairing.conferenceId).toBe(id);
    expect(view.familyRecording.conference.id).toBe(id);
    expect(view.recordings).toEqual([]);
    expect(view.unpermitted).toEqual([]);
    const entries = (await audited()).slice(before);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'conference.view',
        outcome: 'success',
        actorUserId: f.support.id,
        details: {
          viewed: ['conference.changes.view', 'recording-consent.view', 'conference.chairing.view'],
          recordingConsent: { requests: 0, rounds: 0, copies: 0 },
          unpermitted: 0,
        },
      }),
    ]);
  });

  it('refuses a social worker not allocated to the children, audited as a refused view with the reason', async () => {
    const other = await staff(ctx, 'Ola Otherworker', ['social_worker']);
    await expect(ctx.services.conferenceView.viewConference(other, id, ctxOf(other))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    const denied = (await auditRows(ctx, 'conference.view')).filter(
      (r) => r.subjectId === id && r.actorUserId === other.id,
    );
    expect(denied).toEqual([
      expect.objectContaining({ outcome: 'denied', details: { reason: 'not the allocated social worker' } }),
    ]);
  });

  it('refuses the whole conference when one child of the sibling group is restricted and the viewer is not named on it', async () => {
    await ctx.services.database.db.update(children).set({ restricted: true }).where(eq(children.id, f.ben));
    try {
      await expect(ctx.services.conferenceView.viewConference(f.support, id, ctxOf(f.support))).rejects.toBeInstanceOf(
        AccessDeniedError,
      );
      const denied = (await auditRows(ctx, 'conference.view')).filter(
        (r) => r.subjectId === id && r.actorUserId === f.support.id && r.outcome === 'denied',
      );
      expect(denied).toEqual([expect.objectContaining({ details: { reason: 'restricted record: not named on it' } })]);
      // The allocated social worker still sees it.
      const view = await ctx.services.conferenceView.viewConference(f.sw, id, ctxOf(f.sw));
      expect(view.overview.children.map((c) => c.givenNames)).toEqual(['Ava', 'Ben']);
    } finally {
      await ctx.services.database.db.update(children).set({ restricted: false }).where(eq(children.id, f.ben));
    }
  });

  it('answers not found for an id that names no conference, and audits nothing', async () => {
    const before = (await auditRows(ctx)).length;
    for (const missing of ['not-an-id', '00000000-0000-4000-8000-000000000000'])
      await expect(
        ctx.services.conferenceView.viewConference(f.support, missing, ctxOf(f.support)),
      ).rejects.toBeInstanceOf(NotFoundError);
    expect(await auditRows(ctx)).toHaveLength(before);
  });
});
