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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else names no record, and is never sent to the database. */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}
