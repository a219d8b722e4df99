/**
 * Starting to convene: from a child's record (`?child=`), or by finding the child. The search is a POST,
 * so names and dates of birth typed into it never appear in a URL or a log; adding a child to the
 * sibling group uses the same search.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bodyOf, dateParts, pickValues, requestContext } from '../../../forms/index.ts';
import { childProblems, searchInputFrom } from '../../children/forms.ts';
import { STEP_PATHS, childQuery } from '../convening-forms.ts';
import { type ConveningJourney } from './journey.ts';
import { EDIT } from './shared.ts';

const FIND = { title: 'Which child is the conference about?', action: '/conferences/new/find', add: false };

/** The search page, its results, or its problems (400). */
export async function searchChildren(
  journey: ConveningJourney,
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { title: string; action: string; add: boolean },
): Promise<unknown> {
  const values = pickValues(bodyOf(request), ['name', 'reference', ...dateParts('dateOfBirth')]);
  const { input, errors } = searchInputFrom(values);
  const render = (ctx: Record<string, unknown>) =>
    reply.view('conferences/convening/find-child.njk', {
      title: opts.title,
      values,
      searched: false,
      action: opts.action,
      add: opts.add,
      ...ctx,
    });
  if (errors.length) {
    reply.code(400);
    return render({ errors });
  }
  try {
    const { results, more } = await journey.services.people.searchChildren(
      request.actor!,
      input,
      requestContext(request),
    );
    return render({ searched: true, results, more });
  } catch (err) {
    reply.code(400);
    return render({ errors: childProblems(err, { dateOfBirth: 'dateOfBirth-day' }) });
  }
}

export function findChildRoutes(app: FastifyInstance, journey: ConveningJourney): void {
  app.get('/conferences/new', { config: EDIT }, async (request, reply) => {
    const { child, request: conferenceRequestId } = childQuery.parse(request.query);
    if (!child)
      return reply.view('conferences/convening/find-child.njk', {
        title: FIND.title,
        values: {},
        searched: false,
        action: FIND.action,
      });
    // Refused (403, audited) unless the person may change this child's record.
    await journey.services.convening.siblingGroupChoices(request.actor!, child, [], requestContext(request));
    journey.drafts.clear(reply);
    journey.save(request, reply, {
      startChildId: child,
      childIds: [child],
      extraChildIds: [],
      // 002 §1.1: convening from an agreed request answers it (checked when the conference is convened).
      ...(conferenceRequestId ? { conferenceRequestId } : {}),
    });
    return reply.redirect(STEP_PATHS.children, 303);
  });

  app.post('/conferences/new/find', { config: EDIT }, async (request, reply) =>
    searchChildren(journey, request, reply, FIND),
  );
}
