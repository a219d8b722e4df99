/** advice asked of the information management team on a request for a copy, and its answer. */
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { AdviceAnswer } from '../../domain/requests/advice.ts';

export interface AdviceRecord {
  id: string;
  requestId: string;
  question: string;
  askedById: string;
  askedByName: string;
  askedOn: IsoDate;
  answer: (AdviceAnswer & { recordedByName: string; recordedAt: Date }) | null;
}

export interface RequestAdviceRepository {
  insert(row: {
    requestId: string;
    question: string;
    askedBy: string;
    askedOn: IsoDate;
    recordedAt: Date;
  }): Promise<string>;
  list(requestId: string): Promise<AdviceRecord[]>;
  find(adviceId: string, opts?: { lock?: boolean }): Promise<AdviceRecord | null>;
  /** Records the answer once; false when it was already answered. */
  answer(adviceId: string, answer: AdviceAnswer, by: { userId: string; at: Date }): Promise<boolean>;
}
