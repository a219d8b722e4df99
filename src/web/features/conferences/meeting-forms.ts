/** Reading the meeting's forms: text, clock times and GOV.UK date inputs, and where each problem points. */
import { z } from 'zod';
import { idSchema } from '../../../domain/shared/ids.ts';
import { type FormError, fieldIds, problemsAsErrors } from '../../forms/index.ts';

export { dateFields, dateValues, readDate, text, ticked, type FormValues } from '../../forms/index.ts';

export const meetingParams = z.object({ id: idSchema });
export const childParams = z.object({ id: idSchema, childId: idSchema });
export const partParams = z.object({ id: idSchema, partId: idSchema });
export const exclusionParams = z.object({ id: idSchema, partId: idSchema, inviteeId: idSchema });

const DATE_FIELDS = new Set([
  'firstCoreGroupDate',
  'nextReviewDate',
  'planEndedMeetingDate',
  'referredOn',
  'reviewedOn',
  'reconveneDate',
]);

/** The id of the input a rule's field refers to: date inputs point at their day box. */
export function fieldId(field: string, renames: Record<string, string> = {}): string {
  return fieldIds({ renames, dates: (f) => DATE_FIELDS.has(f) || /^byWhen-\d+$/.test(f) })(field);
}

/** A rule's problems as error summary items; access and not-found errors go on to the error pages. */
export function ruleErrors(err: unknown, renames: Record<string, string> = {}): FormError[] {
  return problemsAsErrors(err, (field) => fieldId(field, renames));
}
