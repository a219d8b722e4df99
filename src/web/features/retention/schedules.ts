/** The council’s retention schedules: read by retention officers, changed by the schedule setters. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ScheduleView } from '../../../app/retention/retention-service.ts';
import {
  KIND_TRIGGERS,
  RECORD_KIND_LABELS,
  type RecordKind,
  SCHEDULE_ROLES,
  TRIGGER_LABELS,
  isRecordKind,
} from '../../../domain/retention/schedules.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  readingContext,
  requestContext,
  submit,
  text,
  versionOf,
} from '../../forms/index.ts';
import { BASE, OFFICERS, type RetentionPagesOptions, SETTERS } from './shared.ts';

const kindParam = z.object({ kind: z.string().max(40) });

export function schedulePages(app: FastifyInstance, { retention }: RetentionPagesOptions): void {
  const schedulesPage = (
    reply: FastifyReply,
    views: ScheduleView[],
    extra: {
      kind?: RecordKind;
      values?: FormValues;
      errors?: FormError[];
      done?: string | undefined;
      canChange: boolean;
    },
  ) =>
    reply.view('retention/schedules.njk', {
      title: 'Retention schedules',
      retentionSection: 'schedules',
      schedules: views.map((v) => {
        const values: FormValues =
          extra.kind === v.kind && extra.values
            ? { ...extra.values, version: String(v.version) }
            : {
                trigger: v.schedule.trigger,
                years: String(v.schedule.years),
                minimumYearsAfterConference: String(v.schedule.minimumYearsAfterConference),
                version: String(v.version),
              };
        return {
          ...v,
          values,
          errors: extra.kind === v.kind ? (extra.errors ?? []) : [],
          triggers: KIND_TRIGGERS[v.kind].map((t) => ({
            value: t,
            text: `From ${TRIGGER_LABELS[t]}`,
            checked: values['trigger'] === t,
          })),
        };
      }),
      errors: extra.errors ?? [],
      done: extra.done,
      canChange: extra.canChange,
    });
  const canChange = (roles: readonly string[]) => roles.some((r) => (SCHEDULE_ROLES as readonly string[]).includes(r));

  app.get(`${BASE}/schedules`, { config: OFFICERS }, async (request, reply) => {
    const done = (request.query as Record<string, unknown> | undefined)?.['done'];
    const views = await retention.schedules(request.actor!, readingContext(request));
    return schedulesPage(reply, views, {
      done: isRecordKind(done) ? `${RECORD_KIND_LABELS[done]}: your change has been saved.` : undefined,
      canChange: canChange(request.actor!.roles),
    });
  });

  app.post(`${BASE}/schedules/:kind`, { config: SETTERS }, async (request, reply) => {
    const { kind } = kindParam.parse(request.params);
    if (!isRecordKind(kind)) return reply.callNotFound();
    const body = bodyOf(request);
    const values = {
      trigger: text(body, 'trigger', 40),
      years: text(body, 'years', 10),
      minimumYearsAfterConference: text(body, 'minimumYearsAfterConference', 10),
    };
    return submit<unknown, unknown>({
      call: () =>
        retention.changeSchedule(
          request.actor!,
          kind,
          { value: values, version: versionOf(body) },
          requestContext(request),
        ),
      next: () => reply.redirect(`${BASE}/schedules?done=${kind}`, 303),
      again: async (errors, status) =>
        schedulesPage(reply.code(status), await retention.schedules(request.actor!, readingContext(request)), {
          kind,
          values,
          errors: errors.map((e) => ({
            ...e,
            href: e.href === '#main-content' ? e.href : `#${kind}-${e.href.slice(1)}`,
          })),
          canChange: true,
        }),
    });
  });
}
