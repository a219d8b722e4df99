/**
 * P-8: the chair records someone recording against the parents' wishes: who (from the register, or described), the
 * time of each step (asked to stop, meeting halted, asked to leave) and how it ended.
 */
import type { FastifyInstance } from 'fastify';
import { UNPERMITTED_OUTCOMES, UNPERMITTED_OUTCOME_LABELS } from '../../../domain/recording-incidents/incidents.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idSchema,
  pageProblems,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import {
  RECORD_UNPERMITTED,
  type RecordingIncidentPagesOptions,
  SOMEONE_ELSE,
  TIME_HINT,
  base,
  conferenceParams,
  incidentForm,
  ids,
} from './shared.ts';

const FIELDS = [
  'person',
  'personDescription',
  'askedToStopAt',
  'meetingHaltedAt',
  'askedToLeaveAt',
  'outcome',
  'outcomeAt',
  'notes',
];

const page = incidentForm(
  'unpermitted.njk',
  'Record someone recording against the parents’ wishes',
  'unpermitted',
  (view) => ({
    people: view.people.map((p) => ({ value: p.inviteeId, text: p.name })),
    other: SOMEONE_ELSE,
    timeHint: TIME_HINT,
    outcomes: UNPERMITTED_OUTCOMES.map((o) => ({ value: o, text: UNPERMITTED_OUTCOME_LABELS[o] })),
  }),
);

export function unpermittedRoutes(app: FastifyInstance, { recordingIncidents }: RecordingIncidentPagesOptions): void {
  app.get(
    '/conferences/:id/recording-incidents/unpermitted/new',
    { config: RECORD_UNPERMITTED },
    async (request, reply) => {
      const { id } = conferenceParams.parse(request.params);
      // P-8: another chair is shown who chairs the conference and how a cover chair is recorded.
      const view = await recordingIncidents.unpermittedForm(request.actor!, id, requestContext(request));
      return page(reply, view, Object.fromEntries(FIELDS.map((f) => [f, ''])));
    },
  );

  app.post(
    '/conferences/:id/recording-incidents/unpermitted',
    { config: RECORD_UNPERMITTED },
    async (request, reply) => {
      const { id } = conferenceParams.parse(request.params);
      const body = bodyOf(request);
      const values: FormValues = Object.fromEntries(
        FIELDS.map((f) => [f, text(body, f, f === 'notes' ? 10_000 : 500)]),
      );
      const errors: FormError[] = [];
      const chosen = values['person'] as string;
      if (!chosen) errors.push({ text: 'Select who was recording', href: '#person' });
      const inviteeId = chosen === SOMEONE_ELSE || !chosen ? null : (idSchema.safeParse(chosen).data ?? chosen);
      const view = await recordingIncidents.overview(request.actor!, id, readingContext(request));
      return submit<unknown, unknown>({
        call: () =>
          recordingIncidents.recordUnpermitted(
            request.actor!,
            id,
            {
              personInviteeId: inviteeId,
              personDescription: inviteeId === null ? (values['personDescription'] as string) : null,
              askedToStopAt: values['askedToStopAt'] as string,
              meetingHaltedAt: values['meetingHaltedAt'] as string,
              askedToLeaveAt: values['askedToLeaveAt'] as string,
              outcome: values['outcome'] as string,
              outcomeAt: values['outcomeAt'] as string,
              notes: values['notes'] as string,
            },
            requestContext(request),
          ),
        next: () => reply.redirect(`${base(id)}?done=unpermitted`, 303),
        again: (errs, status) => page(reply, view, values, errs, status),
        problems: (err) => {
          const found = pageProblems(err, ids);
          // Nobody chosen: the form's own wording, in place of the rule's about the description.
          const merged = errors.length
            ? [...errors, ...found.errors.filter((e) => e.href !== '#personDescription')]
            : found.errors;
          return { status: found.status, errors: merged };
        },
      });
    },
  );
}
