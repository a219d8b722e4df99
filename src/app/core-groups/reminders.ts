/**
 * 002 §3.7: reminding the lead social worker (or the team manager while none is appointed) when a child's next core
 * group meeting is due within 3 working days and none is booked: once per child, plan and due date, on a scheduled
 * job. Each reminder is claimed by its key before the email is queued, so two nodes running the job never both send
 * it; the email is queued in the same transaction and sent once it commits. Every reminder is audited (ids only).
 */
import {
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
  londonDateOf,
} from '../../domain/calendar/index.ts';
import { coreGroupDueText } from '../../domain/core-groups/core-groups.ts';
import { coreGroupReminderDue, coreGroupReminderRecipient } from '../../domain/core-groups/reminders.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConference } from '../conferences/conference-access.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';

export const CORE_GROUP_REMINDER_JOB = 'core-group-reminders';
export const CORE_GROUP_REMINDER_TEMPLATE = 'core-group-reminder';

const REMINDERS: RequestContext = { actor: { id: null, label: 'system: core group reminders' } };

export interface CoreGroupReminderDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: StatutoryCalendar;
  timescales: TimescaleSettings;
  mail: MailService;
  publicBaseUrl: string;
}

export interface CoreGroupReminderRun {
  /** Reminders claimed by this run. */
  due: number;
  emailed: number;
}

/** The active user to remind, if they can be: an account that is not disabled. */
async function active(repos: Repositories, id: string | null) {
  const user = id ? await repos.accounts.findUserById(id) : null;
  return user && user.disabledAt === null ? user : null;
}

/** The team manager of the child's allocated social worker (their line manager, holding the team manager role). */
async function teamManagerOf(repos: Repositories, childId: string): Promise<string | null> {
  const child = await repos.people.findChild(childId);
  const managerId = child?.allocatedSocialWorkerId
    ? await repos.chairing.lineManagerOf(child.allocatedSocialWorkerId)
    : null;
  const manager = await active(repos, managerId);
  return manager?.roles.includes('team_manager') ? manager.id : null;
}

export class CoreGroupReminderService {
  private readonly deps: CoreGroupReminderDeps;

  constructor(deps: CoreGroupReminderDeps) {
    this.deps = deps;
  }

  /** Sends the reminders due today (working days only); the plans in force are read in one query. */
  async sendReminders(): Promise<CoreGroupReminderRun> {
    const { calendar, timescales } = this.deps;
    const today = londonDateOf(this.deps.clock.now()) as IsoDate;
    const run: CoreGroupReminderRun = { due: 0, emailed: 0 };
    if (!calendar.isWorkingDay(today)) return run;
    const plans = await this.deps.uow.run((repos) => repos.coreGroups.plansInForce());
    for (const plan of plans) {
      const due = coreGroupReminderDue(plan, today, calendar, timescales);
      if (!due) continue;
      const messageIds: string[] = [];
      const claimed = await this.deps.uow.run(async (repos) => {
        const key = { conferenceId: plan.conferenceId, childId: plan.childId, dueOn: due.due };
        if (!(await repos.coreGroups.claimReminder({ ...key, sentOn: today, at: this.deps.clock.now() }))) return false;
        const lead = await active(repos, plan.appointedUserId ?? plan.leadSocialWorkerUserId);
        const recipient = coreGroupReminderRecipient({
          leadSocialWorkerUserId: lead?.id ?? null,
          appointedUserId: null,
          teamManagerUserId: lead ? null : await teamManagerOf(repos, plan.childId),
        });
        const user = recipient ? await active(repos, recipient.userId) : null;
        if (user) {
          const child = (await repos.people.findChild(plan.childId))!;
          const { messageId } = await this.deps.mail.queueWithin(repos, {
            template: CORE_GROUP_REMINDER_TEMPLATE,
            to: user.email,
            values: {
              child_reference: child.localReference,
              due_text: coreGroupDueText(due),
              core_group_link: `${this.deps.publicBaseUrl}/children/${plan.childId}/core-groups`,
            },
            about: { subjectType: 'conference', subjectId: plan.conferenceId, ctx: REMINDERS },
          });
          await repos.coreGroups.setReminderRecipient(key, user.id, messageId);
          messageIds.push(messageId);
        }
        await auditConference(repos, REMINDERS, 'core-group.remind', plan.conferenceId, {
          childId: plan.childId,
          dueOn: due.due,
          recipientUserId: user?.id ?? null,
          recipientAs: user ? recipient!.as : null,
        });
        return true;
      });
      if (!claimed) continue;
      run.due++;
      run.emailed += messageIds.length;
      await this.deps.mail.dispatch(...messageIds);
    }
    return run;
  }
}
