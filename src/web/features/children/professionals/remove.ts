/** Removing a professional from a child's record. */
import type { FastifyInstance } from 'fastify';
import type { PeopleService } from '../../../../app/people/people-service.ts';
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { idParams, requestContext } from '../../../forms/index.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

export function removeProfessionalPage(app: FastifyInstance, { people }: { people: PeopleService }): void {
  const params = idParams('id', 'professionalId');

  app.get('/children/:id/professionals/:professionalId/remove', { config: EDIT }, async (request, reply) => {
    const { id, professionalId } = params.parse(request.params);
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'professional.remove', ctx);
    const professional = await people.getChildProfessional(request.actor!, id, professionalId, ctx);
    return reply.view('children/professional-remove.njk', {
      title: `Remove ${professional.name} from ${child.givenNames} ${child.familyName}’s record?`,
      child,
      professional,
    });
  });

  app.post('/children/:id/professionals/:professionalId/remove', { config: EDIT }, async (request, reply) => {
    const { id, professionalId } = params.parse(request.params);
    await people.removeProfessional(request.actor!, id, professionalId, requestContext(request));
    return reply.flash('professional-removed').redirect(`/children/${id}`, 303);
  });
}
