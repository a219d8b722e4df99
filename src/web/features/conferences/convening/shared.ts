/** What the convening pages share besides the journey: who may use them and how dates read. */
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { type IsoDate, formatLongDate } from '../../../../domain/calendar/index.ts';
import type { ConferenceChild } from '../../../../app/conferences/convening-service.ts';

export const EDIT = { access: RECORD_EDITOR_ROLES };

export function formatDob(iso: string): string {
  return formatLongDate(iso as IsoDate);
}

/** "Born 1 May 2020" or "Unborn, expected 3 June 2026". */
export function bornText(c: Pick<ConferenceChild, 'dateOfBirth' | 'expectedDeliveryDate'>): string {
  return c.dateOfBirth ? `Born ${formatDob(c.dateOfBirth)}` : `Unborn, expected ${formatDob(c.expectedDeliveryDate!)}`;
}
