/** The sibling group step: the child started from, their siblings, and any child added by searching. */
import type { FastifyInstance } from 'fastify';
import type { ConferenceChild } from '../../../../app/conferences/convening-service.ts';
import { idParams, readingContext, requestContext } from '../../../forms/index.ts';
import { STEP_PATHS } from '../convening-forms.ts';
import { searchChildren } from './find-child.ts';
import { type ConveningJourney, type StepPage, listOf } from './journey.ts';
import { EDIT, bornText } from './shared.ts';

const ADD = { title: 'Add another child to the conference', action: '/conferences/new/add-child', add: true };

export const childrenPage: StepPage = async (journey, request, reply, values, base) => {
  const { start, siblings, chosen } = await journey.services.convening.siblingGroupChoices(
    request.actor!,
    String(values['startChildId']),
    listOf(values['extraChildIds']),
    readingContext(request),
  );
  const selected = listOf(values['childIds']);
  const item = (c: ConferenceChild, hint: string) => ({
    value: c.id,
    text: `${c.givenNames} ${c.familyName}`,
    checked: selected.includes(c.id),
    hint: { text: `${bornText(c)}. ${hint}` },
  });
  return reply.view('conferences/convening/children.njk', {
    ...base,
    title: 'Which children is the conference about?',
    start,
    items: [
      item(start, 'The child you started from.'),
      ...siblings.map((s) => item(s, 'Shares a parent or carer with parental responsibility.')),
      ...chosen.map((c) => item(c, 'Added by you.')),
    ],
  });
};

export function childrenRoutes(app: FastifyInstance, journey: ConveningJourney): void {
  app.get('/conferences/new/children', { config: EDIT }, async (request, reply) =>
    journey.show(request, reply, 'children'),
  );
  app.post('/conferences/new/children', { config: EDIT }, async (request, reply) =>
    journey.submit(request, reply, 'children', [], ['childIds']),
  );

  app.get('/conferences/new/add-child', { config: EDIT }, async (request, reply) => {
    if (!journey.load(request)) return reply.redirect('/conferences/new', 303);
    return reply.view('conferences/convening/find-child.njk', {
      title: ADD.title,
      values: {},
      searched: false,
      action: ADD.action,
      add: true,
    });
  });
  app.post('/conferences/new/add-child', { config: EDIT }, async (request, reply) => {
    if (!journey.load(request)) return reply.redirect('/conferences/new', 303);
    return searchChildren(journey, request, reply, ADD);
  });
  app.post('/conferences/new/add-child/:childId', { config: EDIT }, async (request, reply) => {
    const draft = journey.load(request);
    if (!draft) return reply.redirect('/conferences/new', 303);
    const { childId } = idParams('childId').parse(request.params);
    // Refused (403, audited) unless the person may change the added child's record too.
    await journey.services.convening.prepareConvening(
      request.actor!,
      { childIds: [childId] },
      requestContext(request),
      'children',
    );
    const extraChildIds = [...new Set([...listOf(draft['extraChildIds']), childId])];
    const childIds = [...new Set([...listOf(draft['childIds']), childId])];
    journey.save(request, reply, { ...draft, extraChildIds, childIds });
    return reply.redirect(STEP_PATHS.children, 303);
  });
}
