import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError } from '../../../app/blobs/blob-store.ts';
import { conferenceRecord } from '../../../../test/support/documents.ts';
import { siblingGroupConference } from '../../../../test/support/conferences.ts';
import { staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';

// The nightly sweep deletes stored files no record refers to; an issued document's bytes are referred to by
// its issued copy and must be kept for good (W-1, W-3).
describe.each(testDatabases())('the nightly sweep of stored files and issued documents (%s)', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestServices(kind);
  });
  afterAll(async () => {
    await ctx?.dispose();
  });

  const present = async (key: string) =>
    ctx.services.blobs.stat(key).then(
      () => true,
      (err: unknown) => {
        if (err instanceof BlobNotFoundError) return false;
        throw err;
      },
    );

  it('W-1: keeps every issued copy’s file and deletes a file nothing refers to', async () => {
    const chair = await staff(ctx, 'Chloe Chair', ['chair']);
    const socialWorker = await staff(ctx, 'Sam Social', ['social_worker']);
    const conf = await siblingGroupConference(ctx, { socialWorker, chair, status: 'held' });
    const bytes = new TextEncoder().encode('%PDF-1.7 issued copy');
    const issuedFile = await ctx.services.blobs.put(bytes);
    const orphan = await ctx.services.blobs.put(new TextEncoder().encode('left behind by a crash'));

    await ctx.services.uow.run(async (repos) => {
      const draft = await repos.documents.insertDraft({
        conferenceId: conf.conferenceId,
        kind: 'conference-record',
        subjectInviteeId: null,
        sections: {},
        createdByUserId: chair.id,
        at: new Date('2026-03-03T09:00:00Z'),
      });
      const approved = await repos.documents.updateDraft(draft!.id, 1, {
        status: 'approved',
        approvedByUserId: chair.id,
        approvedAt: new Date('2026-03-04T09:00:00Z'),
        approvedDocument: conferenceRecord(1),
        updatedByUserId: chair.id,
        at: new Date('2026-03-04T09:00:00Z'),
      });
      await repos.documents.insertIssued([
        {
          id: randomUUID(),
          draftId: approved!.id,
          conferenceId: conf.conferenceId,
          kind: 'conference-record',
          issueNumber: 1,
          title: 'Conference record',
          copyKind: 'full',
          recipientInviteeId: null,
          recipientName: 'File copy',
          format: 'pdf',
          largePrint: false,
          blobKey: issuedFile.key,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          byteLength: bytes.byteLength,
          mediaType: 'application/pdf',
          renderedAt: new Date('2026-03-05T09:00:00Z'),
          approvedByUserId: chair.id,
          approvedAt: new Date('2026-03-04T09:00:00Z'),
          issuedByUserId: chair.id,
          issuedAt: new Date('2026-03-05T09:00:00Z'),
          leftOut: [],
          marking: ['OFFICIAL-SENSITIVE'],
        },
      ]);
    });

    // Both files are old enough for the sweep once the clock is well past the day it waits.
    ctx.clock.current = new Date(Date.now() + 7 * 24 * 3_600_000);
    const sweep = ctx.services.scheduledJobs.find((j) => j.name === 'blob-orphan-sweep');
    expect(sweep).toBeDefined();
    await sweep!.run();

    expect(await present(orphan.key)).toBe(false);
    expect(await present(issuedFile.key)).toBe(true);
  });
});
