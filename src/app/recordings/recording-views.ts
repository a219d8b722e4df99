/**
 * What the recordings' pages and API answers read: a recording summarised, in detail, and those needing someone
 * to act.
 */
import type { RecordingSource } from '../../domain/recordings/index.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import type {
  BookmarkRecord,
  BreakRecord,
  DerivativeRecord,
  FixityEventRecord,
  RecordingRecord,
  StatementRecord,
  WithheldRecord,
} from './ports.ts';

export interface RecordingSummary extends RecordingRecord {
  /** What tells it apart from the conference's other recordings: type, date, part, number and where it was made. */
  name: string;
  partLabel: string | null;
  createdByName: string | null;
  liveState: 'recording' | 'paused' | 'stopped' | null;
  statementConfirmed: boolean;
  /** whether it needs someone to act (`needsAttention`, the test behind the attention list). */
  needsAttention: boolean;
}

export interface ConferenceRecordings {
  conference: RecordingDetail['conference'];
  parts: Array<{ id: string; label: string }>;
  recordings: RecordingSummary[];
  can: { manage: boolean; export: boolean };
}

/** What the page that starts a live recording shows: the conference, its parts with their times, and live recordings still open. */
export interface LiveStart {
  conference: Pick<MeetingConference, 'id' | 'type' | 'status' | 'scheduledDate' | 'reminderGivenAt'>;
  childNames: string[];
  parts: Array<{ id: string; label: string; startsAt: string; endsAt: string }>;
  /** Recordings in the browser still receiving audio, to go back to. */
  open: RecordingSummary[];
}

/** A recording on business support's list of those needing someone to act. */
export interface RecordingNeedingAttention {
  id: string;
  conferenceId: string;
  name: string;
  source: RecordingSource;
  receivedBytes: number;
  /** When the audio was found missing, or when the live recording began. */
  since: Date;
}

export interface RecordingsNeedingAttention {
  /** The audio was acknowledged but went missing before it was stored: upload it again. */
  audioMissing: RecordingNeedingAttention[];
  /** Live recordings with audio, still not stopped a week after they began: stop or discard. */
  liveUnfinished: RecordingNeedingAttention[];
}

export interface RecordingDetail {
  recording: RecordingRecord;
  /** What tells it apart from the conference's other recordings (see domain/recordings/naming.ts). */
  name: string;
  /** `reminderGivenAt`: R-1, when the chair recorded telling those present, on starting the conference. */
  conference: {
    id: string;
    title: string;
    status: string;
    scheduledDate: string;
    childNames: string[];
    reminderGivenAt: Date | null;
  };
  partLabel: string | null;
  breaks: BreakRecord[];
  liveState: 'recording' | 'paused' | 'stopped' | null;
  playback: DerivativeRecord | null;
  /** The playback copy's latest integrity check failed (found by the cycle or while being played): it is not played. */
  playbackDamaged: boolean;
  /**
   * For a damaged playback copy: a new one is being made from the original (`repairing`), nobody has asked for
   * one yet (`needed`), or the original failed its check too, so none can be made (`impossible`). Null otherwise.
   */
  playbackRepair: PlaybackRepairState | null;
  /** someone has to act (it is on the list of recordings that need attention): the same test as the list. */
  needsAttention: boolean;
  statements: StatementRecord[];
  bookmarks: BookmarkRecord[];
  withheld: WithheldRecord[];
  fixity: FixityEventRecord[];
  /** People who may be named as not to hear a part: the conference's family, children and network. */
  people: Array<{ id: string; name: string }>;
  can: { manage: boolean; export: boolean };
}

export type PlaybackRepairState = 'repairing' | 'needed' | 'impossible';
