/** Changing a family or network member's details and their link to this child. */
import type { FastifyInstance } from 'fastify';
import { type FormError, bodyOf, idParams, pickValues, requestContext } from '../../../forms/index.ts';
import { LINK_FIELDS, PERSON_FIELDS, childProblems, linkInputFrom, personErrors, personInputFrom } from '../forms.ts';
import { EDIT, type PeopleDeps, memberValues, personName, renderPerson, ruleProblems } from './person-form.ts';

export function changePersonPage(app: FastifyInstance, { people }: PeopleDeps): void {
  const params = idParams('id', 'personId');

  app.get('/children/:id/family/:personId/change', { config: EDIT }, async (request, reply) => {
    const { id, personId } = params.parse(request.params);
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'relationship.update', ctx);
    const member = await people.getFamilyMember(request.actor!, id, personId, ctx);
    return renderPerson(reply, child, {
      action: `/children/${id}/family/${personId}/change`,
      title: `Change ${personName(member.person)}’s details`,
      values: memberValues(member),
      existing: member,
    });
  });

  app.post('/children/:id/family/:personId/change', { config: EDIT }, async (request, reply) => {
    const { id, personId } = params.parse(request.params);
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
        const input = { person, relationship, parentalResponsibility };
        await people.changeFamilyMember(request.actor!, id, personId, input, ctx);
        return reply.flash('family-member-saved').redirect(`/children/${id}`, 303);
      }
      ruleErrors = ruleProblems(people, person, link);
    } catch (err) {
      ruleErrors = [...childProblems(err), ...(valid ? [] : ruleProblems(people, person, link))];
    }
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'relationship.update', ctx);
    const member = await people.getFamilyMember(request.actor!, id, personId, ctx);
    reply.code(400);
    return renderPerson(reply, child, {
      action: `/children/${id}/family/${personId}/change`,
      title: `Change ${personName(member.person)}’s details`,
      values,
      existing: member,
      errors: personErrors(link.errors, errors, ruleErrors),
    });
  });
}
