/** Adding someone new to a child's family and network: their details and how they are related. */
import type { FastifyInstance } from 'fastify';
import { type FormError, bodyOf, idParams, pickValues, requestContext } from '../../../forms/index.ts';
import { LINK_FIELDS, PERSON_FIELDS, childProblems, linkInputFrom, personErrors, personInputFrom } from '../forms.ts';
import { EDIT, type PeopleDeps, renderPerson, ruleProblems } from './person-form.ts';

const TITLE = 'Add someone new to the family and network';

export function newPersonPage(app: FastifyInstance, { people }: PeopleDeps): void {
  app.get('/children/:id/family/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const child = await people.childHeading(request.actor!, id, 'relationship.add', requestContext(request));
    return renderPerson(reply, child, { action: `/children/${id}/family/new`, title: TITLE, values: {} });
  });

  app.post('/children/:id/family/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), [...PERSON_FIELDS, ...LINK_FIELDS]);
    const link = linkInputFrom(values);
    const { person, errors } = personInputFrom(values);
    const valid = link.errors.length === 0 && errors.length === 0;
    let ruleErrors: FormError[];
    try {
      // Control characters are refused here, as field errors; the access check below still runs first.
      const ctx = requestContext(request);
      if (valid) {
        const { relationship, parentalResponsibility } = link;
        await people.addFamilyMember(request.actor!, id, { person, relationship, parentalResponsibility }, ctx);
        return reply.flash('family-member-added').redirect(`/children/${id}`, 303);
      }
      ruleErrors = ruleProblems(people, person, link);
    } catch (err) {
      ruleErrors = [...childProblems(err), ...(valid ? [] : ruleProblems(people, person, link))];
    }
    const child = await people.childHeading(request.actor!, id, 'relationship.add', requestContext(request));
    reply.code(400);
    return renderPerson(reply, child, {
      action: `/children/${id}/family/new`,
      title: TITLE,
      values,
      errors: personErrors(link.errors, errors, ruleErrors),
    });
  });
}
