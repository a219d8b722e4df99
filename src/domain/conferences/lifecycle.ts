import { DomainError } from '../shared/errors.ts';

/**
 * A conference's life: planned → in progress → held; or adjourned as inquorate (Q-1, a new date set)
 * or cancelled. Held decisions are changed only by adding a new version, never by overwriting.
 */
export const CONFERENCE_STATUSES = ['planned', 'in-progress', 'held', 'adjourned-inquorate', 'cancelled'] as const;
export type ConferenceStatus = (typeof CONFERENCE_STATUSES)[number];

export const STATUS_LABELS: Record<ConferenceStatus, string> = {
  planned: 'Planned',
  'in-progress': 'In progress',
  held: 'Held',
  'adjourned-inquorate': 'Adjourned: not quorate',
  cancelled: 'Cancelled',
};

export type ConferenceEvent =
  | { type: 'open' }
  /** the chair proceeds although inquorate, in exceptional circumstances, recording why. */
  | { type: 'proceed-inquorate'; reason: string }
  /** an inquorate conference does not proceed: immediate safety steps and a new date. */
  | { type: 'adjourn-inquorate'; safetySteps: string; newDateSet: boolean }
  | { type: 'conclude'; quorate: boolean; proceededInquorateReason: string | null; childrenWithoutDecision: number }
  | { type: 'cancel'; reason: string };

const ALLOWED: Record<ConferenceStatus, ReadonlyArray<ConferenceEvent['type']>> = {
  planned: ['open', 'cancel'],
  'in-progress': ['proceed-inquorate', 'adjourn-inquorate', 'conclude'],
  held: [],
  'adjourned-inquorate': [],
  cancelled: [],
};

export function nextStatus(current: ConferenceStatus, event: ConferenceEvent): ConferenceStatus {
  if (!ALLOWED[current].includes(event.type)) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `A conference that is ${STATUS_LABELS[current].toLowerCase()} cannot be changed that way`,
    );
  }
  switch (event.type) {
    case 'open':
      return 'in-progress';
    case 'proceed-inquorate':
      if (!event.reason.trim()) {
        throw new DomainError(
          'INQUORATE_REASON_REQUIRED',
          'Enter why the conference is going ahead without enough agencies',
          'proceedReason',
        );
      }
      return 'in-progress';
    case 'adjourn-inquorate':
      if (!event.safetySteps.trim()) {
        throw new DomainError(
          'SAFETY_STEPS_REQUIRED',
          'Enter the immediate steps agreed to keep the child safe',
          'safetySteps',
        );
      }
      if (!event.newDateSet) {
        throw new DomainError('NEW_DATE_REQUIRED', 'Set the date of the reconvened conference', 'newDate');
      }
      return 'adjourned-inquorate';
    case 'conclude':
      if (!event.quorate && !event.proceededInquorateReason?.trim()) {
        throw new DomainError(
          'NOT_QUORATE',
          'The conference is not quorate: record why it is going ahead, or adjourn it and set a new date',
        );
      }
      if (event.childrenWithoutDecision > 0) {
        throw new DomainError(
          'DECISIONS_MISSING',
          `Record a decision for every child (${event.childrenWithoutDecision} still to do)`,
        );
      }
      return 'held';
    case 'cancel':
      if (!event.reason.trim())
        throw new DomainError('CANCEL_REASON_REQUIRED', 'Enter why the conference is cancelled', 'reason');
      return 'cancelled';
  }
}
