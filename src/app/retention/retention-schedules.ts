/** The council's retention schedules: read by retention officers and schedule setters, changed by setters. */
import type { Actor } from '../../domain/access/roles.ts';
import {
  DEFAULT_RETENTION_SCHEDULES,
  RECORD_KINDS,
  RECORD_KIND_LABELS,
  type RecordKind,
  type RetentionSchedule,
  describeSchedule,
  isRecordKind,
  readSchedule,
  requireRetentionOfficer,
  requireScheduleSetter,
  validateSchedule,
} from '../../domain/retention/schedules.ts';
import { NotFoundError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { type RetentionServiceDeps, allowed, schedulesWithin } from './retention-access.ts';

export interface ScheduleView {
  kind: RecordKind;
  name: string;
  schedule: RetentionSchedule;
  description: string;
  isDefault: boolean;
  version: number;
  updatedAt: Date | null;
  updatedByName: string | null;
}

/** Schedules: one use case a method, called through RetentionService. */
export class RetentionSchedulesUseCases {
  private readonly deps: RetentionServiceDeps;

  constructor(deps: RetentionServiceDeps) {
    this.deps = deps;
  }

  /** Every schedule, who last changed it and when. Retention officers and schedule setters may read them. */
  async schedules(actor: Actor, ctx: RequestContext): Promise<ScheduleView[]> {
    await allowed(
      this.deps,
      (a) => {
        try {
          requireScheduleSetter(a);
        } catch {
          requireRetentionOfficer(a);
        }
      },
      actor,
      ctx,
      'retention-schedules.view',
    );
    return this.deps.uow.run(async (r) => {
      const stored = new Map((await r.retention.listSchedules()).map((s) => [s.kind, s]));
      return RECORD_KINDS.map((kind) => {
        const row = stored.get(kind);
        const schedule = row ? readSchedule(kind, row.value) : DEFAULT_RETENTION_SCHEDULES[kind];
        return {
          kind,
          name: RECORD_KIND_LABELS[kind],
          schedule,
          description: describeSchedule(schedule),
          isDefault: JSON.stringify(schedule) === JSON.stringify(DEFAULT_RETENTION_SCHEDULES[kind]),
          version: row?.version ?? 0,
          updatedAt: row?.updatedAt ?? null,
          updatedByName: row?.updatedByName ?? null,
        };
      });
    });
  }

  /** Changes one schedule from the version the form started from; audited with the schedule before and after. */
  async changeSchedule(
    actor: Actor,
    kind: string,
    input: { value: unknown; version: number },
    ctx: RequestContext,
  ): Promise<ScheduleView[]> {
    if (!isRecordKind(kind)) throw new NotFoundError('The retention schedule');
    await allowed(this.deps, requireScheduleSetter, actor, ctx, 'retention-schedules.change', {
      type: 'retention_schedule',
      id: kind,
    });
    const schedule = validateSchedule(kind, input.value);
    await this.deps.uow.run(async (r) => {
      const before = (await schedulesWithin(r))[kind];
      const version = await r.retention.saveSchedule(kind, {
        value: schedule,
        updatedBy: actor.id,
        at: this.deps.clock.now(),
        expectedVersion: input.version,
      });
      if (version === null)
        throw new StaleRecordError(
          'Someone else changed this schedule after you opened it. Your change has not been saved: look at the schedule as it is now and make your change again',
        );
      await r.audit.record({
        action: 'retention-schedules.changed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'retention_schedule', id: kind },
        outcome: 'success',
        details: { from: describeSchedule(before), to: describeSchedule(schedule), version },
      });
    });
    return this.schedules(actor, ctx);
  }
}
