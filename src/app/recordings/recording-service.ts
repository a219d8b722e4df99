/**
 * The audio record's use cases (R-1 … R-6), one entry point for the composition root, the pages, the API and the
 * tests. Each part is its own module: reading, live recording, uploads, ingest, the attention list, fixity, the
 * explanatory statement, bookmarks and withheld parts, listening, playback repair and exports. This class only
 * builds the parts and hands each call to its part.
 */
import { RecordingReading } from './recording-reading.ts';
import { RecordingDetails } from './recording-detail.ts';
import { LiveRecording } from './live-recording.ts';
import { RecordingUploads } from './recording-uploads.ts';
import { RecordingIngest } from './recording-ingest.ts';
import { RecordingPlayable } from './recording-playable.ts';
import { RecordingAttention } from './recording-attention.ts';
import { RecordingFixity } from './recording-fixity.ts';
import { ExplanatoryStatements } from './explanatory-statements.ts';
import { RecordingMarks } from './recording-marks.ts';
import { RecordingPlayback } from './recording-playback.ts';
import { PlaybackRepair } from './playback-repair.ts';
import { RecordingExport } from './recording-export.ts';
import type { RecordingServiceDeps } from './recording-shared.ts';

export {
  ABANDONED_UPLOAD_MS,
  ChunkGapError,
  FIXITY_FAILED_RECHECK_DAYS,
  LISTEN_REASON_MAX,
  LISTENING_WINDOW_MS,
  RecordingError,
  type RecordingLogger,
  type RecordingServiceDeps,
} from './recording-shared.ts';
export type {
  ConferenceRecordings,
  LiveStart,
  PlaybackRepairState,
  RecordingDetail,
  RecordingNeedingAttention,
  RecordingsNeedingAttention,
  RecordingSummary,
} from './recording-views.ts';

export class RecordingService {
  private readonly reading: RecordingReading;
  private readonly details: RecordingDetails;
  private readonly live: LiveRecording;
  private readonly uploads: RecordingUploads;
  private readonly ingests: RecordingIngest;
  private readonly playables: RecordingPlayable;
  private readonly attention: RecordingAttention;
  private readonly fixity: RecordingFixity;
  private readonly statements: ExplanatoryStatements;
  private readonly marks: RecordingMarks;
  private readonly playing: RecordingPlayback;
  private readonly repairs: PlaybackRepair;
  private readonly exports: RecordingExport;

  constructor(deps: RecordingServiceDeps) {
    this.reading = new RecordingReading(deps);
    this.details = new RecordingDetails(deps);
    this.live = new LiveRecording(deps);
    this.uploads = new RecordingUploads(deps);
    this.ingests = new RecordingIngest(deps);
    this.playables = new RecordingPlayable(deps);
    this.attention = new RecordingAttention(deps);
    this.repairs = new PlaybackRepair(deps);
    this.fixity = new RecordingFixity(deps, this.repairs);
    this.statements = new ExplanatoryStatements(deps);
    this.marks = new RecordingMarks(deps);
    this.playing = new RecordingPlayback(deps, this.repairs);
    this.exports = new RecordingExport(deps, this.fixity);
  }

  listForConference(...a: Parameters<RecordingReading['listForConference']>) {
    return this.reading.listForConference(...a);
  }
  listForChild(...a: Parameters<RecordingReading['listForChild']>) {
    return this.reading.listForChild(...a);
  }
  conferenceRecordings(...a: Parameters<RecordingReading['conferenceRecordings']>) {
    return this.reading.conferenceRecordings(...a);
  }
  evidence(...a: Parameters<RecordingReading['evidence']>) {
    return this.reading.evidence(...a);
  }
  setLabel(...a: Parameters<RecordingReading['setLabel']>) {
    return this.reading.setLabel(...a);
  }
  status(...a: Parameters<RecordingReading['status']>) {
    return this.reading.status(...a);
  }
  detail(...a: Parameters<RecordingDetails['detail']>) {
    return this.details.detail(...a);
  }
  listening(...a: Parameters<RecordingDetails['listening']>) {
    return this.details.listening(...a);
  }
  statementForm(...a: Parameters<RecordingDetails['statementForm']>) {
    return this.details.statementForm(...a);
  }
  liveStart(...a: Parameters<LiveRecording['liveStart']>) {
    return this.live.liveStart(...a);
  }
  startLive(...a: Parameters<LiveRecording['startLive']>) {
    return this.live.startLive(...a);
  }
  appendChunk(...a: Parameters<LiveRecording['appendChunk']>) {
    return this.live.appendChunk(...a);
  }
  pause(...a: Parameters<LiveRecording['pause']>) {
    return this.live.pause(...a);
  }
  resume(...a: Parameters<LiveRecording['resume']>) {
    return this.live.resume(...a);
  }
  stop(...a: Parameters<LiveRecording['stop']>) {
    return this.live.stop(...a);
  }
  createUpload(...a: Parameters<RecordingUploads['createUpload']>) {
    return this.uploads.createUpload(...a);
  }
  assertCanUpload(...a: Parameters<RecordingUploads['assertCanUpload']>) {
    return this.uploads.assertCanUpload(...a);
  }
  declareClientSha256(...a: Parameters<RecordingUploads['declareClientSha256']>) {
    return this.uploads.declareClientSha256(...a);
  }
  completeUpload(...a: Parameters<RecordingUploads['completeUpload']>) {
    return this.uploads.completeUpload(...a);
  }
  resumeHandOver(...a: Parameters<RecordingUploads['resumeHandOver']>) {
    return this.uploads.resumeHandOver(...a);
  }
  cancelUpload(...a: Parameters<RecordingUploads['cancelUpload']>) {
    return this.uploads.cancelUpload(...a);
  }
  cancelAbandonedUploads(...a: Parameters<RecordingUploads['cancelAbandonedUploads']>) {
    return this.uploads.cancelAbandonedUploads(...a);
  }
  ingest(...a: Parameters<RecordingIngest['ingest']>) {
    return this.ingests.ingest(...a);
  }
  makePlayable(...a: Parameters<RecordingPlayable['makePlayable']>) {
    return this.playables.makePlayable(...a);
  }
  recoverInterruptedIngests(...a: Parameters<RecordingIngest['recoverInterruptedIngests']>) {
    return this.ingests.recoverInterruptedIngests(...a);
  }
  requeueStalled(...a: Parameters<RecordingIngest['requeueStalled']>) {
    return this.ingests.requeueStalled(...a);
  }
  needingAttention(...a: Parameters<RecordingAttention['needingAttention']>) {
    return this.attention.needingAttention(...a);
  }
  discardLive(...a: Parameters<RecordingAttention['discardLive']>) {
    return this.attention.discardLive(...a);
  }
  checkFixity(...a: Parameters<RecordingFixity['checkFixity']>) {
    return this.fixity.checkFixity(...a);
  }
  fixitySweep(...a: Parameters<RecordingFixity['fixitySweep']>) {
    return this.fixity.fixitySweep(...a);
  }
  fixityAll(...a: Parameters<RecordingFixity['fixityAll']>) {
    return this.fixity.fixityAll(...a);
  }
  checkFixityNow(...a: Parameters<RecordingFixity['checkFixityNow']>) {
    return this.fixity.checkFixityNow(...a);
  }
  fixityOverdue(...a: Parameters<RecordingFixity['fixityOverdue']>) {
    return this.fixity.fixityOverdue(...a);
  }
  draftStatement(...a: Parameters<ExplanatoryStatements['draftStatement']>) {
    return this.statements.draftStatement(...a);
  }
  confirmStatement(...a: Parameters<ExplanatoryStatements['confirmStatement']>) {
    return this.statements.confirmStatement(...a);
  }
  addBookmark(...a: Parameters<RecordingMarks['addBookmark']>) {
    return this.marks.addBookmark(...a);
  }
  removeBookmark(...a: Parameters<RecordingMarks['removeBookmark']>) {
    return this.marks.removeBookmark(...a);
  }
  addWithheld(...a: Parameters<RecordingMarks['addWithheld']>) {
    return this.marks.addWithheld(...a);
  }
  removeWithheld(...a: Parameters<RecordingMarks['removeWithheld']>) {
    return this.marks.removeWithheld(...a);
  }
  startListening(...a: Parameters<RecordingPlayback['startListening']>) {
    return this.playing.startListening(...a);
  }
  playback(...a: Parameters<RecordingPlayback['playback']>) {
    return this.playing.playback(...a);
  }
  requestPlaybackRepair(...a: Parameters<PlaybackRepair['requestPlaybackRepair']>) {
    return this.repairs.requestPlaybackRepair(...a);
  }
  repairPlayback(...a: Parameters<PlaybackRepair['repairPlayback']>) {
    return this.repairs.repairPlayback(...a);
  }
  exportOriginal(...a: Parameters<RecordingExport['exportOriginal']>) {
    return this.exports.exportOriginal(...a);
  }
}
