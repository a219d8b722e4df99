import type { IsoDate } from '../../domain/calendar/index.ts';
import type { CopyRequest, RequestAction, RequestState } from '../../domain/requests/index.ts';

/** Something that could not be done and is recorded visibly on the request (a role with nobody to notify). */
export interface RequestWarning {
  at: Date;
  text: string;
}

/** A request for a copy of a recording as stored. */
export interface CopyRequestRecord {
  id: string;
  /** The running number behind the reference. */
  number: number;
  conferenceId: string;
  /** The domain record. */
  request: CopyRequest;
  dueOn: IsoDate;
  warnings: RequestWarning[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** advice asked of the information management team, and its answer, on the timeline. */
export type AdviceStepAction = 'advice-asked' | 'advice-answered';
export const ADVICE_STEP_LABELS: Record<AdviceStepAction, string> = {
  'advice-asked': 'Advice asked of the information management team',
  'advice-answered': 'Advice from the information management team recorded',
};

/** One entry of a request's timeline. */
export interface CopyRequestStepRecord {
  seq: number;
  requestId: string;
  /** A step of the workflow, a warning, or A-10's advice asked and answered (advice.ts). */
  action: RequestAction | 'warning' | AdviceStepAction;
  fromState: RequestState | null;
  toState: RequestState;
  at: Date;
  actorId: string | null;
  details: Record<string, unknown>;
}

export type NewCopyRequestStep = Omit<CopyRequestStepRecord, 'seq' | 'requestId'>;

export interface CopyRequestListFilter {
  /** Only requests at these steps (none: every step). */
  states?: readonly RequestState[];
  /** Only requests with this chair. */
  chairId?: string;
  conferenceId?: string;
}

export interface CopyRequestsRepository {
  insert(r: { request: CopyRequest; dueOn: IsoDate; warnings: RequestWarning[]; at: Date }): Promise<CopyRequestRecord>;
  /** With `lock`, the row is locked for the rest of the transaction. */
  find(id: string, opts?: { lock?: boolean }): Promise<CopyRequestRecord | null>;
  /**
   * Saves the new record only when the stored version is `expectedVersion`, bumping it. Returns the
   * new version, or null when someone else saved first (nothing is written).
   */
  update(
    id: string,
    expectedVersion: number,
    r: { request: CopyRequest; dueOn: IsoDate; warnings: RequestWarning[]; at: Date },
  ): Promise<number | null>;
  list(filter: CopyRequestListFilter): Promise<CopyRequestRecord[]>;
  appendSteps(requestId: string, steps: readonly NewCopyRequestStep[]): Promise<void>;
  /** Oldest first. */
  listSteps(requestId: string): Promise<CopyRequestStepRecord[]>;
}
