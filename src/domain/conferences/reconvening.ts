/**
 * Conferences that meet again. Q-1: an inquorate conference that does not go ahead is adjourned and
 * the chair sets a new date (002 §3.3). D-1: when more than one agency dissents and the senior
 * manager's review decides to reconvene, the conference meets again within 20 working days of the
 * review (002 §3.6). Either way the conference that meets again is a new conference, linked to the
 * one it reconvenes; until that link exists the reconvening is outstanding.
 */
import { type IsoDate, compareIsoDates, formatLongDate } from '../calendar/index.ts';
import { DomainError } from '../shared/errors.ts';
import { CONFERENCE_TYPE_LABELS, type ConferenceType } from './decisions.ts';
import type { ConferenceStatus } from './lifecycle.ts';

/** Why a conference is to be reconvened. */
export type ReconveneGround =
  | { rule: 'Q-1'; /** The date the chair set for the reconvened conference. */ newDate: IsoDate }
  | { rule: 'D-1'; reviewedOn: IsoDate; /** 20 working days from the review. */ due: IsoDate };

/** A conference linked to another (the one reconvening it, or the one it reconvenes). */
export interface ConferenceLink {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
}

export interface ReconveneFacts {
  status: ConferenceStatus;
  /** set when an inquorate conference was adjourned. */
  reconveneDate: IsoDate | null;
  /** D-1: the earliest reconvened date due from a review of the children's latest decisions. */
  dissent: { reviewedOn: IsoDate; reconveneDue: IsoDate } | null;
  /** The conference linked as reconvening this one, if any. */
  reconvenedAs: Pick<ConferenceLink, 'status'> | null;
}

/** Whether a linked conference stands: a cancelled one reconvenes nothing, so another may be booked. */
export function isLiveLink(link: Pick<ConferenceLink, 'status'> | null): boolean {
  return link !== null && link.status !== 'cancelled';
}

/** Q-1 or D-1, whether or not the reconvened conference has been booked; null when neither applies. */
export function reconveneGround(f: ReconveneFacts): ReconveneGround | null {
  if (f.status === 'adjourned-inquorate' && f.reconveneDate) return { rule: 'Q-1', newDate: f.reconveneDate };
  if (f.status === 'held' && f.dissent)
    return { rule: 'D-1', reviewedOn: f.dissent.reviewedOn, due: f.dissent.reconveneDue };
  return null;
}

/** The ground, while no live conference is linked as reconvening it; null once one is (or when none applies). */
export function outstandingReconvene(f: ReconveneFacts): ReconveneGround | null {
  return isLiveLink(f.reconvenedAs) ? null : reconveneGround(f);
}

/** The date the reconvened conference should meet by (Q-1: the new date set; D-1: the due date). */
export function reconveneBy(g: ReconveneGround): IsoDate {
  return g.rule === 'Q-1' ? g.newDate : g.due;
}

/** "Adjourned as not quorate: the chair set the new date, Monday 16 March 2026" */
export function describeReconveneGround(g: ReconveneGround): string {
  return g.rule === 'Q-1'
    ? `Adjourned as not quorate: the chair set the new date, ${formatLongDate(g.newDate)}`
    : `The senior manager’s review on ${formatLongDate(g.reviewedOn)} decided to reconvene: due by ${formatLongDate(g.due)}`;
}

/** "Initial child protection conference on 2 March 2026" */
export function describeLink(l: Pick<ConferenceLink, 'type' | 'scheduledDate'>): string {
  return `${CONFERENCE_TYPE_LABELS[l.type]} on ${formatLongDate(l.scheduledDate)}`;
}

/**
 * Checks that a new conference may be linked as reconvening an earlier one: the earlier one is still
 * to be reconvened, is the same type, shares a child with it, and is before it. Throws a DomainError
 * on `reconvenesConferenceId` saying what is wrong.
 */
export function checkReconvening(
  earlier: ReconveneFacts & {
    type: ConferenceType;
    scheduledDate: IsoDate;
    childIds: readonly string[];
    reconvenedAs: (Pick<ConferenceLink, 'status'> & Partial<ConferenceLink>) | null;
  },
  next: { type: ConferenceType | null; childIds: readonly string[]; scheduledDate: IsoDate | null },
): ReconveneGround {
  const field = 'reconvenesConferenceId';
  const ground = reconveneGround(earlier);
  if (!ground)
    throw new DomainError('NOT_TO_RECONVENE', `The ${describeLink(earlier)} is not waiting to be reconvened`, field);
  if (isLiveLink(earlier.reconvenedAs)) {
    const as = earlier.reconvenedAs!;
    const where =
      as.type && as.scheduledDate ? ` as the ${describeLink({ type: as.type, scheduledDate: as.scheduledDate })}` : '';
    throw new DomainError(
      'ALREADY_RECONVENED',
      `The ${describeLink(earlier)} has already been reconvened${where}`,
      field,
    );
  }
  if (!earlier.childIds.some((id) => next.childIds.includes(id))) {
    throw new DomainError(
      'RECONVENE_OTHER_CHILDREN',
      `The ${describeLink(earlier)} is about other children: a reconvened conference is about the same children`,
      field,
    );
  }
  if (next.type !== null && next.type !== earlier.type) {
    throw new DomainError(
      'RECONVENE_OTHER_TYPE',
      `A reconvened conference is of the same type as the one it reconvenes: choose “${CONFERENCE_TYPE_LABELS[earlier.type]}”`,
      'type',
    );
  }
  if (next.scheduledDate !== null && compareIsoDates(next.scheduledDate, earlier.scheduledDate) <= 0) {
    throw new DomainError(
      'RECONVENE_BEFORE',
      `A reconvened conference is after the one it reconvenes (${formatLongDate(earlier.scheduledDate)})`,
      'scheduledDate',
    );
  }
  return ground;
}
