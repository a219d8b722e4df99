/**
 * Test set-up for retention and disposal: a held sibling-group conference (Ava, born 2013, and Ben, born 2019) with
 * one stored recording whose encrypted original, playback copy (with waveform peaks) and one disclosure copy sent to
 * a requester are real files in the given blob store, plus the rows that name them (statement, bookmark, withheld
 * segment, fixity check).
 */
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { siblingGroupConference } from '../../../test/support/conferences.ts';
import { staff } from '../../../test/support/people.ts';
import type { TestContext } from '../../../test/support/services.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { disclosureCopies, disclosureCopyFiles } from '../../infra/db/disclosure-schema.ts';
import {
  explanatoryStatements,
  fixityEvents,
  recordingBookmarks,
  recordingDerivatives,
  recordings,
} from '../../infra/db/recordings-schema.ts';
import { copyRequests } from '../../infra/db/requests-schema.ts';
import type { BlobStore, StoredBlob } from '../blobs/blob-store.ts';

export interface RetentionFixture {
  conferenceId: string;
  recordingId: string;
  copyId: string;
  requestId: string;
  original: StoredBlob;
  playback: StoredBlob;
  copyFile: StoredBlob;
  people: { sw: Actor; chair: Actor; ig: Actor; qa: Actor };
}

const sha = (c: string) => c.repeat(64);

export async function retentionFixture(
  ctx: TestContext,
  blobs: BlobStore,
  people?: RetentionFixture['people'],
): Promise<RetentionFixture> {
  const cast = people ?? {
    sw: await staff(ctx, 'Sam Social', ['social_worker']),
    chair: await staff(ctx, 'Chris Chair', ['chair']),
    ig: await staff(ctx, 'Ina Governance', ['access_to_records']),
    qa: await staff(ctx, 'Quinn Quality', ['qa_manager']),
  };
  const conference = await siblingGroupConference(ctx, { socialWorker: cast.sw, chair: cast.chair, status: 'held' });
  const db = ctx.services.database.db;
  const put = (n: number) => blobs.put(Readable.from([randomBytes(n)]));
  const original = await put(4096);
  const playback = await put(2048);
  const copyFile = await put(1024);
  const [rec] = await db
    .insert(recordings)
    .values({
      conferenceId: conference.conferenceId,
      conferencePartId: conference.partId,
      kind: 'meeting',
      source: 'teams',
      status: 'stored',
      label: 'Ava and Ben Okafor',
      originalSha256: sha('a'),
      originalSize: 4000,
      originalBlobKey: original.key,
      originalBlobSha256: original.sha256,
      originalBlobSize: original.size,
      durationMs: 60_000,
      startedAt: new Date('2026-03-02T10:00:00Z'),
      storedAt: new Date('2026-03-02T12:30:00Z'),
      createdBy: cast.chair.id,
    })
    .returning({ id: recordings.id });
  const recordingId = rec!.id;
  const [deriv] = await db
    .insert(recordingDerivatives)
    .values({
      originalRecordingId: recordingId,
      kind: 'playback',
      mediaType: 'audio/mpeg',
      size: 2000,
      sha256: sha('c'),
      durationMs: 60_000,
      blobKey: playback.key,
      blobSha256: playback.sha256,
      blobSize: playback.size,
      peaks: { perSecond: 10, values: [0.1, 0.5, 0.9] },
      originalSha256: sha('a'),
    })
    .returning({ id: recordingDerivatives.id });
  await db.insert(explanatoryStatements).values({
    recordingId,
    version: 1,
    content: { context: 'Initial conference for Ava and Ben Okafor', speakers: [{ name: 'Grace Okafor' }] },
    confirmedBy: cast.chair.id,
    confirmedAt: new Date('2026-03-02T13:00:00Z'),
  });
  await db.insert(recordingBookmarks).values({
    recordingId,
    atMs: 1000,
    kind: 'note',
    label: 'Grace speaks about Ava',
    createdBy: cast.chair.id,
  });
  await db.insert(fixityEvents).values({
    recordingId,
    derivativeId: deriv!.id,
    trigger: 'ingest',
    result: 'ok',
    checkedAt: new Date('2026-03-02T12:31:00Z'),
  });
  const [request] = await db
    .insert(copyRequests)
    .values({
      conferenceId: conference.conferenceId,
      chairId: cast.chair.id,
      state: 'closed',
      requesterType: 'parent',
      receivedOn: '2026-03-10',
      dueOn: '2026-04-10',
      sentAt: new Date('2026-03-20T10:00:00Z'),
      data: { requester: { name: 'Grace Okafor', email: 'grace@example.org' } },
      createdAt: new Date('2026-03-10T10:00:00Z'),
      updatedAt: new Date('2026-03-20T10:00:00Z'),
    })
    .returning({ id: copyRequests.id });
  const [copy] = await db
    .insert(disclosureCopies)
    .values({
      requestId: request!.id,
      conferenceId: conference.conferenceId,
      state: 'ready',
      percent: 100,
      fill: 'silence',
      plan: {
        recordingIds: [recordingId],
        withheld: [
          {
            recordingId,
            startMs: 0,
            endMs: 500,
            reason: 'police',
            explanation: 'Police information about Daniel Mensah',
            approvedBy: 'Chris Chair',
          },
        ],
        statements: { [recordingId]: 'Statement naming Grace Okafor' },
      },
      createdBy: cast.chair.id,
      createdAt: new Date('2026-03-18T10:00:00Z'),
      updatedAt: new Date('2026-03-18T10:05:00Z'),
    })
    .returning({ id: disclosureCopies.id });
  await db.insert(disclosureCopyFiles).values({
    copyId: copy!.id,
    recordingId,
    ordinal: 1,
    statementText: 'Statement naming Grace Okafor',
    originalSha256: sha('a'),
    sha256: sha('d'),
    sizeBytes: 1000,
    durationMs: 60_000,
    noticeMs: 3000,
    blobKey: copyFile.key,
    blobSha256: copyFile.sha256,
    blobSize: copyFile.size,
    withheldLog: [{ explanation: 'Police information about Daniel Mensah' }],
    createdAt: new Date('2026-03-18T10:05:00Z'),
  });
  return {
    conferenceId: conference.conferenceId,
    recordingId,
    copyId: copy!.id,
    requestId: request!.id,
    original,
    playback,
    copyFile,
    people: cast,
  };
}

/** Whether the store still holds a key. */
export async function stored(blobs: BlobStore, key: string): Promise<boolean> {
  for await (const k of blobs.list()) if (k === key) return true;
  return false;
}
