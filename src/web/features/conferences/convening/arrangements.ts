/** The arrangements step: date, time, length, venue, chair and minute taker, with the due date shown. */
import type { FastifyInstance } from 'fastify';
import { CONFERENCE_TYPE_LABELS } from '../../../../domain/conferences/decisions.ts';
import type { FormValues } from '../../../forms/index.ts';
import { ARRANGEMENT_FIELDS, DURATIONS, deadlineText, durationLabel } from '../convening-forms.ts';
import { type ConveningJourney, type StepPage } from './journey.ts';
import { EDIT } from './shared.ts';

const selectItems = (values: FormValues, list: Array<{ id: string; name: string }>, field: string, empty: string) => [
  { value: '', text: empty },
  ...list.map((s) => ({ value: s.id, text: s.name, selected: values[field] === s.id })),
];

export const arrangementsPage: StepPage = async (journey, request, reply, values, base) => {
  const { prepared } = await journey.check(request, values, 'type');
  const { chairs, minuteTakers } = await journey.services.convening.staffChoices();
  const d = prepared?.deadline;
  return reply.view('conferences/convening/arrangements.njk', {
    ...base,
    title: 'Conference arrangements',
    typeLabel: prepared?.type ? CONFERENCE_TYPE_LABELS[prepared.type] : '',
    deadline: d
      ? {
          text: deadlineText(d),
          explanation: d.explanation,
          ruleId: d.ruleId,
          from: d.from,
          earliest: d.earliest ?? '',
          latest: d.latest ?? d.due,
        }
      : null,
    durationItems: [
      { value: '', text: 'Select how long' },
      ...DURATIONS.map((m) => ({
        value: String(m),
        text: durationLabel(m),
        selected: values['durationMinutes'] === String(m),
      })),
    ],
    chairItems: selectItems(values, chairs, 'chairUserId', 'Select the chair'),
    minuteTakerItems: selectItems(values, minuteTakers, 'minuteTakerUserId', 'Select the minute taker'),
  });
};

export function arrangementsRoutes(app: FastifyInstance, journey: ConveningJourney): void {
  app.get('/conferences/new/arrangements', { config: EDIT }, async (request, reply) =>
    journey.show(request, reply, 'arrangements'),
  );
  app.post('/conferences/new/arrangements', { config: EDIT }, async (request, reply) =>
    journey.submit(request, reply, 'arrangements', ARRANGEMENT_FIELDS),
  );
}
