/** The register for one part (002 §3.2): who attended, sent apologies or was absent, joined late or left early. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MeetingView, RegisterInput } from '../../../../app/conferences/meeting-service.ts';
import {
  ARRIVED_ON_THE_DAY,
  isSupporterKind,
  mayBeExcluded,
  mayUseInterpreter,
} from '../../../../domain/conferences/invitees.ts';
import { formatClockTime, parseClockTime } from '../../../../domain/conferences/meeting.ts';
import { timeOfDayProblem } from '../../../../domain/shared/time-of-day.ts';
import { type FormError, type FormValues, bodyOf, requestContext, text, ticked } from '../../../forms/index.ts';
import { type MeetingPages, WRITE, done, partBase, partParams, render, roleOf, submit } from './shared.ts';

/** A minute of the part as the clock time it was, or blank. */
const clockText = (base: number, minutes: number | null | undefined) =>
  minutes !== null && minutes !== undefined ? formatClockTime(base + minutes) : '';

function registerPage(
  reply: FastifyReply,
  view: MeetingView,
  partId: string,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  const part = view.parts.find((p) => p.id === partId)!;
  const base = partBase(view, partId);
  const lines = view.invitees.map((invitee) => {
    const entry = view.attendance.find((a) => a.partId === partId && a.inviteeId === invitee.id) ?? null;
    return {
      invitee: { ...invitee, role: roleOf(invitee, view.children) },
      entry,
      arrived: invitee.invitationMethod === ARRIVED_ON_THE_DAY,
      supporter: isSupporterKind(invitee.kind),
      fullyExcluded: entry?.exclusionExtent === 'full',
      partlyExcluded: entry?.exclusionExtent === 'partial',
      canExclude: view.permissions.chair && mayBeExcluded(invitee.kind),
      interpreterQuestion: mayUseInterpreter(invitee.kind),
      contactQuestion: invitee.kind === 'professional',
      joinedText: clockText(base, entry?.joinedAtMinutes),
      leftText: clockText(base, entry?.leftAtMinutes),
    };
  });
  const saved: FormValues = {};
  for (const l of lines) {
    saved[`status-${l.invitee.id}`] = l.entry?.status ?? 'invited';
    saved[`joinedAt-${l.invitee.id}`] = l.joinedText;
    saved[`leftAt-${l.invitee.id}`] = l.leftText;
    saved[`interpreter-${l.invitee.id}`] = l.entry?.interpreterUsed ? 'yes' : '';
    saved[`directContact-${l.invitee.id}`] = l.invitee.directContact ? 'yes' : '';
  }
  return render(
    reply,
    'meeting-register.njk',
    view,
    `Register: ${part.label}`,
    { part, lines, values: { ...saved, ...values } },
    errors,
    status,
  );
}

/** Each line sent, with the values as typed; a clock time that cannot be read is a problem on its field. */
function readRegister(view: MeetingView, partId: string, body: Record<string, unknown>) {
  const base = partBase(view, partId);
  const errors: FormError[] = [];
  const values: FormValues = {};
  const lines: RegisterInput[] = [];
  for (const inviteeId of ticked(body, 'inviteeIds')) {
    const invitee = view.invitees.find((i) => i.id === inviteeId);
    if (!invitee) continue;
    const v = (k: string) => (values[`${k}-${inviteeId}`] = text(body, `${k}-${inviteeId}`));
    const status = v('status') || 'invited';
    const time = (k: 'joinedAt' | 'leftAt', label: string) => {
      const typed = v(k).trim();
      if (!typed) return null;
      const clockTime = parseClockTime(typed);
      if (clockTime === null) {
        errors.push({ text: timeOfDayProblem(`the time ${invitee.name} ${label}`), href: `#${k}-${inviteeId}` });
        return null;
      }
      return clockTime - base;
    };
    const joinedAt = time('joinedAt', 'joined');
    const leftAt = time('leftAt', 'left');
    const interpreterUsed = v('interpreter') === 'yes';
    const directContact = invitee.kind === 'professional' ? v('directContact') === 'yes' : undefined;
    lines.push({
      inviteeId,
      status: status as RegisterInput['status'],
      joinedAt,
      leftAt,
      interpreterUsed,
      directContact,
    });
  }
  return { values, lines, errors };
}

export function registerRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/parts/:partId/register', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const view = await load(request, id, 'register');
    if (!view.parts.some((p) => p.id === partId)) return reply.callNotFound();
    return registerPage(reply, view, partId, {});
  });

  app.post('/conferences/:id/meeting/parts/:partId/register', { config: WRITE }, async (request, reply) => {
    const { id, partId } = partParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'register');
    if (!view.parts.some((p) => p.id === partId)) return reply.callNotFound();
    const { values, lines, errors } = readRegister(view, partId, body);
    return submit({
      errors,
      call: () => meeting.recordAttendance(request.actor!, id, partId, lines, requestContext(request)),
      next: () => done(reply, id, 'register'),
      again: (errors, status) => registerPage(reply, view, partId, values, errors, status),
    });
  });
}
