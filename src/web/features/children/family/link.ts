/** Linking someone already recorded (found, or linked to a brother or sister) to this child. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PersonRecord } from '../../../../app/people/ports.ts';
import { type FormError, type FormValues, bodyOf, idParams, pickValues, requestContext } from '../../../forms/index.ts';
import { LINK_FIELDS, childProblems, linkInputFrom, personErrors, prItems, relationshipItems } from '../forms.ts';
import { type ChildHeading, EDIT, type PeopleDeps, personName } from './person-form.ts';

const render = async (
  reply: FastifyReply,
  child: ChildHeading,
  person: PersonRecord,
  values: FormValues,
  errors: FormError[] = [],
) =>
  reply.view('children/family-link.njk', {
    title: `How is ${personName(person)} related to ${child.givenNames}?`,
    child,
    person,
    values,
    errors,
    relationshipItems: relationshipItems(values['relationship'] as string | undefined),
    prItems: prItems(values['parentalResponsibility'] as string | undefined),
  });

export function linkPage(app: FastifyInstance, { people }: PeopleDeps): void {
  const params = idParams('id', 'personId');

  app.get('/children/:id/family/add/:personId', { config: EDIT }, async (request, reply) => {
    const { id, personId } = params.parse(request.params);
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'relationship.add', ctx);
    const person = await people.getLinkablePerson(request.actor!, id, personId, ctx);
    return render(reply, child, person, {});
  });

  app.post('/children/:id/family/add/:personId', { config: EDIT }, async (request, reply) => {
    const { id, personId } = params.parse(request.params);
    const values = pickValues(bodyOf(request), LINK_FIELDS);
    const link = linkInputFrom(values);
    let ruleErrors: FormError[] = [];
    try {
      // Control characters are refused here, as a field error; the access check below still runs first.
      const ctx = requestContext(request);
      if (link.errors.length === 0) {
        const { relationship, parentalResponsibility } = link;
        await people.addFamilyMember(request.actor!, id, { personId, relationship, parentalResponsibility }, ctx);
        return reply.flash('family-member-added').redirect(`/children/${id}`, 303);
      }
    } catch (err) {
      ruleErrors = childProblems(err);
    }
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'relationship.add', ctx);
    const person = await people.getLinkablePerson(request.actor!, id, personId, ctx);
    reply.code(400);
    return render(reply, child, person, values, personErrors(link.errors, ruleErrors));
  });
}
