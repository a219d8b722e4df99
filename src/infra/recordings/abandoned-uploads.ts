/**
 * The daily clean-up of uploads nobody finished: resumable (tus) and plain-form leftovers untouched
 * for a week are deleted, then recordings still waiting for their file a week after the upload began
 * (and with no tus upload still kept for them) are cancelled through the service, which audits it
 * and removes their staging. A week's grace lets a slow multi-hour upload resume.
 */
import {
  ABANDONED_UPLOAD_MS,
  type RecordingLogger,
  type RecordingService,
} from '../../app/recordings/recording-service.ts';
import type { ScheduledJob } from '../queue/queue.ts';
import { purgeAbandonedUploads, tusUploadsInProgress } from './upload-files.ts';
import type { TusBackend } from './upload-tus-stores.ts';

export const ABANDONED_UPLOADS_JOB = 'recording-abandoned-uploads';

export interface AbandonedUploadsDeps {
  dataDir: string;
  /** tus uploads kept in the shared staging (every node's), swept as well as this node's folder. */
  sharedTus?: Pick<TusBackend, 'purgeAbandoned' | 'inProgress'>;
  recordings: Pick<RecordingService, 'cancelAbandonedUploads'>;
  logger: Pick<RecordingLogger, 'info' | 'warn'>;
  now: () => Date;
  olderThanMs?: number;
}

export async function cleanUpAbandonedUploads(
  deps: AbandonedUploadsDeps,
): Promise<{ filesRemoved: number; cancelled: string[]; liveWithAudio: string[] }> {
  const olderThanMs = deps.olderThanMs ?? ABANDONED_UPLOAD_MS;
  // Files first: an upload whose tus file survives this is still being sent and is not cancelled.
  let filesRemoved = await purgeAbandonedUploads(deps.dataDir, olderThanMs, deps.now());
  const activeUploads = await tusUploadsInProgress(deps.dataDir);
  if (deps.sharedTus) {
    filesRemoved += await deps.sharedTus.purgeAbandoned(olderThanMs, deps.now());
    for (const id of await deps.sharedTus.inProgress()) activeUploads.add(id);
  }
  const { cancelled, liveWithAudio } = await deps.recordings.cancelAbandonedUploads({ olderThanMs, activeUploads });
  if (filesRemoved || cancelled.length)
    deps.logger.info({ filesRemoved, cancelled: cancelled.length }, 'abandoned uploads cleaned up');
  // Never cancelled automatically: audio arrived, so the chair (or business support) must stop it.
  if (liveWithAudio.length)
    deps.logger.warn({ recordingIds: liveWithAudio }, 'live recordings left unstopped for over a week');
  return { filesRemoved, cancelled, liveWithAudio };
}

/** Daily at 04:25 (Europe/London), after the night's blob sweep. */
export function abandonedUploadsJob(deps: AbandonedUploadsDeps): ScheduledJob {
  return {
    name: ABANDONED_UPLOADS_JOB,
    cron: '25 4 * * *',
    run: async () => {
      await cleanUpAbandonedUploads(deps);
    },
  };
}
