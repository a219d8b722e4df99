import { isId } from '../../domain/shared/ids.ts';
import type { BankHolidayCalendar, TimescaleSettings } from '../../domain/calendar/index.ts';
import type { PeopleService } from '../people/people-service.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';

/** What every conference use case (convening, the meeting, dashboards) is built from. */
export interface ConferenceServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: BankHolidayCalendar;
  timescales: TimescaleSettings;
  people: PeopleService;
}

/** Ids are UUIDs: anything else names no record, and is never sent to the database (one rule: src/domain/shared/ids.ts). */
export const isUuid = isId;
