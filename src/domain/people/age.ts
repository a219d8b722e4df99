import { type IsoDate, compareIsoDates } from '../calendar/index.ts';
import { PeopleError } from './errors.ts';

/**
 * Age in whole years on a date. Someone born on 29 February has their birthday on 1 March in other
 * years (England and Wales treat them as reaching an age at the start of 1 March).
 */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  if (compareIsoDates(on, dateOfBirth) < 0) {
    throw new PeopleError('INVALID_DETAILS', 'The date is before the date of birth');
  }
  const [by, bm, bd] = [
    Number(dateOfBirth.slice(0, 4)),
    Number(dateOfBirth.slice(5, 7)),
    Number(dateOfBirth.slice(8, 10)),
  ];
  const [oy, om, od] = [Number(on.slice(0, 4)), Number(on.slice(5, 7)), Number(on.slice(8, 10))];
  const hadBirthdayThisYear = om > bm || (om === bm && od >= bd);
  return oy - by - (hadBirthdayThisYear ? 0 : 1);
}
