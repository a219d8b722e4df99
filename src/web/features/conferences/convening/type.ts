/**
 * The type step: initial, pre-birth, review or transfer-in, the date its timescale runs from
 * (T-1 … T-4), and whether it reconvenes a conference of these children (Q-1 / D-1).
 */
import type { FastifyInstance } from 'fastify';
import { dateValues, readingContext } from '../../../forms/index.ts';
import { NOT_RECONVENING, STEP_PATHS, TYPE_FIELDS, TYPE_LISTS } from '../convening-forms.ts';
import { preBirthGroundsView } from './grounds.ts';
import { type ConveningJourney, type StepPage, fromCheckQuery } from './journey.ts';
import { EDIT, formatDob } from './shared.ts';

export const typePage: StepPage = async (journey, request, reply, values, base) => {
  const { convening, timescales } = journey.services;
  const { prepared } = await journey.check(request, values, 'children');
  const childIds = prepared?.children.map((c) => c.id) ?? [];
  const { previous, reconvene } = await convening.typeChoices(request.actor!, childIds, readingContext(request));
  const unborn = prepared?.children.filter((c) => c.dateOfBirth === null) ?? [];
  return reply.view('conferences/convening/type.njk', {
    ...base,
    title: 'What type of conference is it?',
    children: prepared?.children ?? [],
    unbornNames: unborn.map((c) => `${c.givenNames} ${c.familyName}`).join(', '),
    ...preBirthGroundsView(values, timescales),
    hints: {
      initial: `Held within ${timescales.initialConferenceWorkingDays} working days of the strategy discussion that started the section 47 enquiry (rule T-1).`,
      preBirth: `For an unborn baby: held between ${timescales.preBirthEarliestWeek} and ${timescales.preBirthLatestWeek} weeks of pregnancy (rule T-2), or by ${timescales.preBirthPrematureLatestWeek} weeks if a premature birth is likely.`,
      review: `The first review within ${timescales.firstReviewDays} days of the initial conference, then at most ${timescales.reviewIntervalMonths} months apart (rule T-3).`,
      transferIn: `A child with a plan who has moved here from another council: held within ${timescales.transferInConferenceWorkingDays} working days of being told of the move (rule T-4).`,
    },
    // Q-1 / D-1: a conference of these children waiting to be reconvened is offered first.
    reconveneItems: reconvene.length
      ? [
          ...reconvene.map((r) => ({
            value: r.id,
            text: `This conference reconvenes the ${r.label}`,
            hint: { text: `${r.reason}.` },
            checked: values['reconvenesConferenceId'] === r.id,
          })),
          {
            value: NOT_RECONVENING,
            text: 'No, it is a new conference',
            checked: values['reconvenesConferenceId'] === NOT_RECONVENING,
          },
        ]
      : [],
    previousItems: [
      { value: '', text: previous.length ? 'Select the conference' : 'No conference has been held for these children' },
      ...previous.map((p) => ({
        value: p.id,
        text: `${p.typeLabel}, ${formatDob(p.scheduledDate)}`,
        selected: values['previousConferenceId'] === p.id,
      })),
    ],
  });
};

export function typeRoutes(app: FastifyInstance, journey: ConveningJourney): void {
  app.get('/conferences/new/type', { config: EDIT }, async (request, reply) => {
    const draft = journey.load(request);
    if (!draft) return reply.redirect('/conferences/new', 303);
    const { prepared, errors } = await journey.check(request, draft, 'children');
    if (errors.length || !prepared) return reply.redirect(STEP_PATHS.children, 303);
    let values = draft;
    // Pre-birth: the expected date of delivery comes from the unborn child's record unless already given.
    const unborn = prepared.children.find((c) => c.expectedDeliveryDate);
    if (unborn && !draft['expectedDeliveryDate-day']) {
      values = { ...draft, ...dateValues('expectedDeliveryDate', unborn.expectedDeliveryDate) };
      journey.save(request, reply, values);
    }
    return journey.render(request, reply, 'type', { ...values, from: fromCheckQuery(request) });
  });
  app.post('/conferences/new/type', { config: EDIT }, async (request, reply) =>
    journey.submit(request, reply, 'type', TYPE_FIELDS, TYPE_LISTS),
  );
}
