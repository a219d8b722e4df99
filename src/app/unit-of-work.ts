import type { AccountsRepository } from './accounts/ports.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { ConveningRepository } from './conferences/convening-ports.ts';
import type { DashboardRepository } from './conferences/dashboard-ports.ts';
import type { MeetingRepository } from './conferences/meeting-ports.ts';
import type { PeopleRepository } from './people/ports.ts';
import type { RecordingsRepository } from './recordings/ports.ts';

/** Everything a use case may read or write, bound to one transaction. */
export interface Repositories {
  accounts: AccountsRepository;
  people: PeopleRepository;
  convening: ConveningRepository;
  meeting: MeetingRepository;
  dashboard: DashboardRepository;
  recordings: RecordingsRepository;
  audit: AuditLog;
}

/** Runs a use case's writes and its audit entries atomically: a change is never saved unaudited. */
export interface UnitOfWork {
  run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
}

export interface Clock {
  now(): Date;
}
