/** Persistence for participation (002 §3.2, 001): children's attendance, supporters, advocates, parents' reports and help. */
import type { ChildAttendance } from '../../domain/participation/child-attendance.ts';
import type { ExclusionDetails } from '../../domain/participation/exclusion.ts';
import type { Help } from '../../domain/participation/parent-reports.ts';
import type { AdvocateRole, Bar } from '../../domain/participation/supporters.ts';

export interface ChildAttendanceRecord extends ChildAttendance {
  childId: string;
  viewsCheckedAt: Date | null;
  viewsCheckedByName: string | null;
  recordedByName: string | null;
  recordedAt: Date;
  version: number;
}

export interface BarRecord extends Bar {
  inviteeId: string;
  barredByName: string | null;
  barredAt: Date;
}

export interface AdvocateRoleRecord extends AdvocateRole {
  inviteeId: string;
  recordedAt: Date;
}

export type ParentReportFormat = 'pdf' | 'docx' | 'doc' | 'odt' | 'txt';

export interface ParentReportRecord {
  id: string;
  inviteeId: string;
  source: 'file' | 'typed';
  blobKey: string;
  fileSha256: string;
  format: ParentReportFormat;
  sizeBytes: number;
  receivedOn: string;
  uploadedByName: string | null;
  createdAt: Date;
}

export interface HelpRecord extends Help {
  inviteeId: string;
  recordedAt: Date;
}

export interface ExclusionDetailsRecord extends ExclusionDetails {
  partId: string;
  inviteeId: string;
  /** Recorded before the criteria and the dates were kept: the reason and views are "another" in the chair's words. */
  recordedBeforeCriteria: boolean;
}

export interface ParticipationRepository {
  listChildAttendance(conferenceId: string): Promise<ChildAttendanceRecord[]>;
  /** Saves the decision at the expected version (0: none yet); false when someone else changed it first. */
  saveChildAttendance(
    conferenceId: string,
    childId: string,
    expectedVersion: number,
    d: ChildAttendance,
    by: { userId: string; at: Date },
  ): Promise<boolean>;
  markViewsChecked(conferenceId: string, childId: string, by: { userId: string; at: Date }): Promise<void>;

  listBars(conferenceId: string): Promise<BarRecord[]>;
  saveBar(conferenceId: string, inviteeId: string, bar: Bar, by: { userId: string; at: Date }): Promise<void>;
  deleteBar(inviteeId: string): Promise<boolean>;

  listAdvocateRoles(conferenceId: string): Promise<AdvocateRoleRecord[]>;
  saveAdvocateRole(
    conferenceId: string,
    inviteeId: string,
    role: AdvocateRole,
    by: { userId: string; at: Date },
  ): Promise<void>;

  listParentReports(conferenceId: string): Promise<ParentReportRecord[]>;
  insertParentReport(
    conferenceId: string,
    r: Omit<ParentReportRecord, 'id' | 'uploadedByName' | 'createdAt'> & { uploadedByUserId: string },
  ): Promise<string>;
  /** Stored files of parents' reports (the blob sweep keeps them). */
  referencedBlobKeys(): Promise<string[]>;

  listHelp(conferenceId: string): Promise<HelpRecord[]>;
  saveHelp(conferenceId: string, inviteeId: string, help: Help, by: { userId: string; at: Date }): Promise<void>;

  listExclusionDetails(conferenceId: string): Promise<ExclusionDetailsRecord[]>;
  /** Written with the exclusion on the attendance row, in the same transaction. */
  saveExclusionDetails(partId: string, inviteeId: string, d: ExclusionDetails): Promise<void>;
  deleteExclusionDetails(partId: string, inviteeId: string): Promise<void>;
}
