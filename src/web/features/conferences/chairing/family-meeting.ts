/**
 * 002 §4.1: before the conference the chair meets the child and family, so they understand its purpose, what will
 * happen and how to complain. Recorded with the date and who was met, or why the chair did not meet them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChairingView } from '../../../../app/conferences/chairing/service.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateParts,
  dateValues,
  fieldIds,
  idParams,
  parseDateInput,
  pickValues,
  requestContext,
  submit,
  text,
  versionOf,
} from '../../../forms/index.ts';
import { type ChairingPagesOptions, EDIT, conferenceHref, familyMeetingHref, render } from './shared.ts';

const FIELDS = ['met', ...dateParts('metOn'), 'whoMet', 'notMetReason', 'version'] as const;

function meetingPage(
  reply: FastifyReply,
  view: ChairingView,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return render(
    reply,
    'family-meeting.njk',
    'The chair’s meeting with the child and family',
    {
      view,
      backHref: conferenceHref(view.conferenceId),
      action: familyMeetingHref(view.conferenceId),
      values,
    },
    errors,
    status,
  );
}

export function familyMeetingPages(app: FastifyInstance, { chairing }: ChairingPagesOptions): void {
  app.get('/conferences/:id/chair/family-meeting', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const view = await chairing.chairing(request.actor!, id, requestContext(request));
    const m = view.familyMeeting;
    return meetingPage(reply, view, {
      met: m ? (m.met ? 'yes' : 'no') : '',
      ...dateValues('metOn', m?.metOn ?? null),
      whoMet: m?.whoMet ?? '',
      notMetReason: m?.notMetReason ?? '',
      version: m ? String(m.version) : '',
    });
  });

  app.post('/conferences/:id/chair/family-meeting', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const body = bodyOf(request);
    const values = pickValues(body, FIELDS);
    const errors: FormError[] = [];
    const met = text(body, 'met');
    let metOn: string | null = null;
    if (met === 'yes') {
      const d = parseDateInput(values, 'metOn', 'The date');
      if (d.error) errors.push({ text: d.error, href: '#metOn-day' });
      metOn = d.iso;
    }
    const version = versionOf(body);
    return submit<unknown, unknown>({
      errors,
      call: () =>
        chairing.recordFamilyMeeting(
          request.actor!,
          id,
          {
            met,
            metOn,
            whoMet: text(body, 'whoMet'),
            notMetReason: text(body, 'notMetReason'),
            version: Number.isNaN(version) ? null : version,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${conferenceHref(id)}?done=family-meeting#chairing`, 303),
      again: async (errs, status) =>
        meetingPage(reply, await chairing.chairing(request.actor!, id, requestContext(request)), values, errs, status),
      ids: fieldIds({ renames: { metOn: 'metOn-day', met: 'met' } }),
    });
  });
}
