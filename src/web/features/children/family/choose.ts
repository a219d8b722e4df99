/** Adding a family or network member, first page: reuse someone linked to a brother or sister, or find someone. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RELATIONSHIP_LABELS } from '../../../../domain/people/index.ts';
import { bodyOf, idParams, pickValues, requestContext, str } from '../../../forms/index.ts';
import { childProblems } from '../forms.ts';
import { EDIT, type PeopleDeps } from './person-form.ts';

export function choosePage(app: FastifyInstance, { people }: PeopleDeps): void {
  const render = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    extra: Record<string, unknown> = {},
  ) => {
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, childId, 'relationship.add', ctx);
    const network = await people.siblingNetwork(request.actor!, childId, ctx);
    return reply.view('children/family-choose.njk', {
      title: 'Add a family or network member',
      child,
      network: network.map((n) => ({
        ...n,
        linksText: n.siblingLinks
          .map(
            (l) =>
              `${RELATIONSHIP_LABELS[l.relationship]} of ${l.givenNames}${l.parentalResponsibility ? ' (has PR)' : ''}`,
          )
          .join('; '),
      })),
      values: {},
      searched: false,
      ...extra,
    });
  };

  app.get('/children/:id/family/add', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    return render(reply, request, id);
  });

  // A POST, so the name searched for is never in a URL.
  app.post('/children/:id/family/search', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), ['name']);
    try {
      const name = str(values['name']);
      const { results, more } = await people.searchPeople(request.actor!, id, name, requestContext(request));
      return render(reply, request, id, { values, searched: true, results, more });
    } catch (err) {
      const errors = childProblems(err);
      reply.code(400);
      return render(reply, request, id, { values, errors });
    }
  });
}
