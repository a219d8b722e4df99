import { recordings } from '../../src/infra/db/recordings-schema.ts';
import type { TestContext } from './services.ts';

/**
 * A recording row as ingest and the playable job leave it (stored, ready to play), without audio behind it: for tests of what refers to a
 * recording (requests, referrals) rather than of the audio itself.
 */
export async function insertStoredRecordingRow(
  ctx: TestContext,
  r: { conferenceId: string; partId: string; createdBy: string; durationMs?: number },
): Promise<string> {
  const [rec] = await ctx.services.database.db
    .insert(recordings)
    .values({
      conferenceId: r.conferenceId,
      conferencePartId: r.partId,
      kind: 'meeting',
      source: 'teams',
      status: 'stored',
      // Made playable too: its length and format are known, as after the job that decodes it.
      playable: 'ready',
      originalSha256: 'a'.repeat(64),
      originalSize: 1000,
      originalBlobKey: 'k'.repeat(40),
      originalBlobSha256: 'b'.repeat(64),
      originalBlobSize: 1100,
      durationMs: r.durationMs ?? 3_600_000,
      startedAt: new Date('2026-03-02T10:00:00Z'),
      storedAt: new Date('2026-03-02T12:30:00Z'),
      createdBy: r.createdBy,
    })
    .returning({ id: recordings.id });
  return rec!.id;
}
