/** P-9: open covert recording incidents: the council-wide list, the dashboards' part, and the chair's reminders. */
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { type IsoDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import { addWorkingDays } from '../../domain/calendar/working-days.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  COVERT_ACTION_LABELS,
  COVERT_VIEWER_ROLES,
  actionsStillToConsider,
  canViewIncidentsAbout,
  mayViewCovert,
} from '../../domain/recording-incidents/incidents.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConference } from '../conferences/conference-access.ts';
import { chairsToTell, everyoneIn } from '../conferences/chairing/chairs-to-tell.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { OpenCovertIncident } from './ports.ts';
import type { RecordingIncidentServiceDeps, ReminderRun, OpenIncidentListItem } from './recording-incident-types.ts';
import { heading, longDate, londonToday } from './incident-shared.ts';

export const COVERT_REMINDER_TEMPLATE = 'covert-recording-reminder';
/** P-9: the pg-boss scheduled job that sends the reminders. */
export const COVERT_REMINDER_JOB = 'covert-recording-reminders';
/** P-9: who the scheduled reminders are audited as. */
const REMINDERS: RequestContext = { actor: { id: null, label: 'system: covert recording reminders' } };

export async function openIncidents(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  ctx: RequestContext,
): Promise<OpenIncidentListItem[]> {
  const action = 'covert-recordings.open.view';
  const record = (
    repos: Pick<Repositories, 'audit'>,
    outcome: 'success' | 'denied',
    details: Record<string, unknown>,
  ) => repos.audit.record({ action, actor: ctx.actor, correlationId: ctx.correlationId, outcome, details });
  if (!mayViewCovert(actor)) {
    await deps.uow.run((repos) => record(repos, 'denied', { reason: 'not a chair, team manager or legal adviser' }));
    throw new AccessDeniedError('Only a chair, a team manager or a legal adviser can see covert recording incidents');
  }
  return deps.uow.run(async (repos) => {
    const items: OpenIncidentListItem[] = [];
    let withheld = 0;
    for (const open of await repos.recordingIncidents.listOpen()) {
      const childIds = (await repos.convening.conferenceChildIds(open.conferenceId)) ?? [];
      let allowed = childIds.length > 0;
      for (const childId of childIds) {
        const facts = await repos.people.childAccessFacts(childId);
        if (!facts || !canViewIncidentsAbout(actor, facts).allowed) allowed = false;
      }
      const conference = allowed ? await repos.meeting.findConference(open.conferenceId) : null;
      if (!conference) {
        withheld++;
        continue;
      }
      items.push({
        id: open.id,
        conference: heading(conference),
        foundOn: open.foundOn,
        actionCount: open.actionCount,
      });
    }
    await record(repos, 'success', { covertIncidentIds: items.map((i) => i.id), withheld });
    return items;
  });
}

/**
 * P-9, "reminders until closed": run by a scheduled job. Each open incident whose last reminder (or, before the
 * first, the day it was recorded) is `workingDays` working days ago or more reminds the conference's chair by
 * email through the outbox. Each reminder is claimed once per incident and day it fell due, with the incident
 * locked, so two nodes running the job at once send it once; an incident closed meanwhile is not reminded. When
 * no chair can be reminded (none named, or their account disabled), the reminder is still recorded and audited.
 */
export async function sendReminders(deps: RecordingIncidentServiceDeps): Promise<ReminderRun> {
  const { workingDays, calendar } = deps.reminders;
  const today = londonToday(deps);
  const run: ReminderRun = { due: 0, emailed: 0 };
  // Reminders go on working days only: one falling due on a bank holiday goes the next working day.
  if (!calendar.isWorkingDay(today as IsoDate)) return run;
  const open = await deps.uow.run((repos) => repos.recordingIncidents.listForReminders());
  for (const candidate of open) {
    const from = (candidate.lastRemindedOn ?? londonDateOf(candidate.reportedAt)) as IsoDate;
    const dueOn = addWorkingDays(from, workingDays, calendar);
    if (dueOn > today) continue;
    const messageIds: string[] = [];
    const claimed = await deps.uow.run(async (repos) => {
      const incident = await repos.recordingIncidents.findCovert(candidate.id, { lock: true });
      if (!incident || incident.closedOn !== null) return false;
      const at = deps.clock.now();
      if (!(await repos.recordingIncidents.claimReminder({ incidentId: incident.id, dueOn, sentOn: today, at })))
        return false;
      const conference = await repos.meeting.findConference(incident.conferenceId);
      if (!conference) throw new NotFoundError('The conference');
      // The chair (or, their account disabled, the chair told when it was recorded), and the cover chair while
      // one is recorded (002 §4.1). The reminder keeps the first of them; each email is in the outbox.
      const tell = await chairsToTell(repos, conference, [incident.chairUserId]);
      const still = actionsStillToConsider(
        incident.published,
        incident.actions.map((a) => a.action),
      );
      for (const user of everyoneIn(tell)) {
        const { messageId } = await deps.mail.queueWithin(repos, {
          template: COVERT_REMINDER_TEMPLATE,
          to: user.email,
          values: {
            conference_title: CONFERENCE_TYPE_LABELS[conference.type],
            conference_date: longDate(conference.scheduledDate),
            found_on: longDate(incident.foundOn),
            still_to_consider: still.length
              ? still.map((a) => `- ${COVERT_ACTION_LABELS[a]}`).join('\n')
              : '- Nothing: record the outcome and close the incident',
            incident_link: `${deps.publicBaseUrl}/conferences/${conference.id}/recording-incidents/covert/${incident.id}`,
          },
          about: { subjectType: 'conference', subjectId: conference.id, ctx: REMINDERS },
        });
        if (!messageIds.length)
          await repos.recordingIncidents.setReminderMessage(incident.id, dueOn, user.id, messageId);
        messageIds.push(messageId);
      }
      await auditConference(repos, REMINDERS, 'covert-recording.remind', conference.id, {
        incidentId: incident.id,
        dueOn,
        chairReminded: tell.chair !== null,
        ...(tell.cover ? { coverChairReminded: true } : {}),
        stillToConsider: still.length,
      });
      return true;
    });
    if (!claimed) continue;
    run.due++;
    run.emailed += messageIds.length;
    await deps.mail.dispatch(...messageIds);
  }
  return run;
}

/**
 * P-9: open covert recording incidents for a dashboard, in the caller's transaction, for those who may see them
 * (chairs, team managers; legal advisers have no dashboard) and only for conferences the caller may see (`visible`). The caller
 * audits the ids shown.
 */
export async function openCovertIncidentsFor(
  repos: Pick<Repositories, 'recordingIncidents'>,
  actor: Actor,
  visible: (conferenceId: string) => boolean,
): Promise<OpenCovertIncident[]> {
  if (!hasAnyRole(actor, COVERT_VIEWER_ROLES)) return [];
  return (await repos.recordingIncidents.listOpen()).filter((i) => visible(i.conferenceId));
}
