/**
 * What building one document takes: the conference's facts, the minute taker's sections, the chair's withholding
 * marks, and for a letter who it is addressed to, the council's wording and what was arranged for them. Pure types.
 */
import type { IsoDate } from '../calendar/index.ts';
import type { AmendmentDecision } from './amendments.ts';
import type { DocumentFacts } from './facts.ts';
import type { DocumentKind } from './model.ts';
import type { DocumentRecipient } from './recipients.ts';
import type { Withholding } from './withholding.ts';

/** The administrator's wording for letters (W-1, W-6, W-7), with placeholders already filled for one addressee. */
export interface LetterWording {
  /** The letter's opening paragraphs (blank lines between paragraphs). */
  opening: string;
  /** W-7: how to complain about the process, the category or whether a plan was made. */
  complaints: string;
  /** W-6: the record is confidential and is not to be passed on without the chair's or lead social worker's consent. */
  confidentiality: string;
}

/**
 * W-5, T-8: the amendment request a decision letter answers, as the chair decided it. Every point has its decision:
 * the letter is prepared only once the chair has decided them all.
 */
export interface AmendmentLetterFacts {
  requestId: string;
  /** The invitee who asked: the letter's one addressee. */
  requesterInviteeId: string;
  /** The kind of the document the request was about and its issue. */
  documentKind: DocumentKind;
  issueNumber: number;
  /** When the request reached the council, when the requester received the document, and T-8's due date. */
  receivedOn: IsoDate;
  recordReceivedOn: IsoDate;
  dueOn: IsoDate;
  /** The request reached the council after dueOn: it is still answered. */
  late: boolean;
  points: ReadonlyArray<{
    /** The label of the section of the document the point is about. */
    sectionLabel: string;
    /** The text as issued the point refers to; empty when none was quoted. */
    originalText: string;
    requestedChange: string;
    decision: AmendmentDecision;
    reasons: string;
  }>;
}

export interface BuildInput {
  kind: DocumentKind;
  facts: DocumentFacts;
  /** The minute taker's free-text sections by section id (DRAFT_SECTIONS). */
  sections: Readonly<Record<string, string>>;
  /** The chair's withholding marks (W-3) by block id: a free-text section's id or a filled section's id. */
  withholdings: Readonly<Record<string, readonly Withholding[]>>;
  /** An exclusion letter's excluded person. */
  subjectInviteeId: string | null;
  /** 1 for the first issued version. */
  version: number;
  /** Who a letter is addressed to; null for the draft's preview and for documents that are not letters. */
  addressee: DocumentRecipient | null;
  wording: LetterWording;
  /**
   * The date an addressed copy carries (the day it is issued, in England); null in the draft's preview and in the
   * approved snapshot, which are not dated.
   */
  issuedOn?: IsoDate | null;
  /** W-4: what was arranged for the addressee, as sentences (arrangementSentences); empty when nothing was. */
  arrangements: readonly string[];
  /** W-5: an amendment decision letter's request and the chair's decisions; absent for every other kind. */
  amendment?: AmendmentLetterFacts | null;
}
