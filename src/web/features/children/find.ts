/** Finding a child's record by name, date of birth or local case reference. */
import type { FastifyInstance } from 'fastify';
import type { PeopleService } from '../../../app/people/people-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../../domain/access/roles.ts';
import { bodyOf, pickValues, requestContext } from '../../forms/index.ts';
import { childProblems, searchInputFrom } from './forms.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const SEARCH_FIELDS = ['name', 'reference', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'];

const canAdd = (actor: Actor | null) => Boolean(actor && hasAnyRole(actor, RECORD_EDITOR_ROLES));

export function findPage(app: FastifyInstance, { people }: { people: PeopleService }): void {
  app.get('/children', { config: VIEW }, async (request, reply) =>
    reply.view('children/find.njk', {
      title: 'Find a child’s record',
      values: {},
      searched: false,
      canAdd: canAdd(request.actor),
    }),
  );

  // A POST, so names and dates of birth typed into the search never appear in a URL or a log.
  app.post('/children', { config: VIEW }, async (request, reply) => {
    const values = pickValues(bodyOf(request), SEARCH_FIELDS);
    const { input, errors } = searchInputFrom(values);
    const render = (ctx: Record<string, unknown>) =>
      reply.view('children/find.njk', {
        title: 'Find a child’s record',
        values,
        searched: false,
        canAdd: canAdd(request.actor),
        ...ctx,
      });
    if (errors.length) {
      reply.code(400);
      return render({ errors });
    }
    try {
      const { results, more } = await people.searchChildren(request.actor!, input, requestContext(request));
      return render({ searched: true, results, more });
    } catch (err) {
      reply.code(400);
      return render({ errors: childProblems(err, { dateOfBirth: 'dateOfBirth-day' }) });
    }
  });
}
