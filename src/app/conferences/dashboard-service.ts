import type { BankHolidayCalendar, TimescaleSettings } from '../../domain/calendar/index.ts';
import type { PeopleService } from '../people/people-service.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';

export interface ConferenceServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: BankHolidayCalendar;
  timescales: TimescaleSettings;
  people: PeopleService;
}

export class DashboardService {
  protected readonly deps: ConferenceServiceDeps;

  constructor(deps: ConferenceServiceDeps) {
    this.deps = deps;
  }
}
