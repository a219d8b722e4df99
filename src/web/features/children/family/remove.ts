/** Removing someone from a child's family and network. */
import type { FastifyInstance } from 'fastify';
import { idParams, requestContext } from '../../../forms/index.ts';
import { EDIT, type PeopleDeps, personName } from './person-form.ts';

export function removePersonPage(app: FastifyInstance, { people }: PeopleDeps): void {
  const params = idParams('id', 'personId');

  app.get('/children/:id/family/:personId/remove', { config: EDIT }, async (request, reply) => {
    const { id, personId } = params.parse(request.params);
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'relationship.remove', ctx);
    const member = await people.getFamilyMember(request.actor!, id, personId, ctx);
    return reply.view('children/family-remove.njk', {
      title: `Remove ${personName(member.person)} from ${child.givenNames} ${child.familyName}’s family and network?`,
      child,
      member,
    });
  });

  app.post('/children/:id/family/:personId/remove', { config: EDIT }, async (request, reply) => {
    const { id, personId } = params.parse(request.params);
    await people.removeFamilyMember(request.actor!, id, personId, requestContext(request));
    return reply.flash('family-member-removed').redirect(`/children/${id}`, 303);
  });
}
