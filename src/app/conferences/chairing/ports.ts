/** What the chairing use cases (002 §4.1) need of the database. */
import type {
  CaseResponsibility,
  FamilyMeeting,
  IndependenceConcernKind,
} from '../../../domain/conferences/chairing.ts';

export type ChairOccasion = 'convened' | 'chair-changed';

/** A reason recorded for a chair who is not independent of the case. */
export interface IndependenceReasonRecord {
  id: string;
  chairUserId: string;
  chairName: string;
  occasion: ChairOccasion;
  concerns: IndependenceConcernKind[];
  reason: string;
  recordedByName: string;
  recordedAt: Date;
}

export type FamilyMeetingRecord = FamilyMeeting & {
  recordedByName: string;
  recordedAt: Date;
  version: number;
};

/** 002 §4.1: a chair covering for the assigned chair, recorded with the reason. */
export interface CoverChairRecord {
  id: string;
  coverChairUserId: string;
  coverChairName: string;
  reason: string;
  recordedByName: string;
  recordedAt: Date;
}

export interface ChairingRepository {
  /** Each child's allocated social worker and that social worker's line manager. */
  caseResponsibilities(childIds: readonly string[]): Promise<CaseResponsibility[]>;
  insertIndependenceReason(row: {
    conferenceId: string;
    chairUserId: string;
    occasion: ChairOccasion;
    concerns: IndependenceConcernKind[];
    reason: string;
    recordedBy: string;
    recordedAt: Date;
  }): Promise<string>;
  listIndependenceReasons(conferenceId: string): Promise<IndependenceReasonRecord[]>;
  setChair(conferenceId: string, chairUserId: string): Promise<void>;
  findFamilyMeeting(conferenceId: string): Promise<FamilyMeetingRecord | null>;
  /** Saves the chair's meeting with the family; false when `expectedVersion` is not the saved one (null: none yet). */
  saveFamilyMeeting(
    conferenceId: string,
    meeting: FamilyMeeting,
    by: { userId: string; at: Date },
    expectedVersion: number | null,
  ): Promise<boolean>;
  lineManagerOf(userId: string): Promise<string | null>;
  /** 002 §4.1: the cover chair recorded now, if any. */
  currentCover(conferenceId: string): Promise<CoverChairRecord | null>;
  /** Records a cover chair, ending the current one if any. */
  recordCover(row: {
    conferenceId: string;
    coverChairUserId: string;
    reason: string;
    recordedBy: string;
    recordedAt: Date;
  }): Promise<string>;
  setLineManager(userId: string, lineManagerId: string | null): Promise<void>;
}
