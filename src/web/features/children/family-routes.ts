import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FamilyMemberRecord, PersonRecord } from '../../../app/people/ports.ts';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import {
  type PersonDetailsInput,
  RELATIONSHIP_LABELS,
  validateFamilyLink,
  validatePersonDetails,
} from '../../../domain/people/index.ts';
import { bodyOf, requestContext, type FormValues, dateValues, pickValues } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import {
  LINK_FIELDS,
  PERSON_FIELDS,
  idParam,
  linkInputFrom,
  personErrors,
  personInputFrom,
  personParam,
  prItems,
  childProblems,
  relationshipItems,
} from './forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

/** Family and network members: reuse someone already linked to a brother or sister, find someone, or add someone new. */
export async function familyRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  const { people } = services;

  const personName = (p: PersonRecord) => `${p.givenNames} ${p.familyName}`;

  /** The rules' problems too, when the form itself has errors, so every problem shows at once. */
  const ruleProblems = (
    person: PersonDetailsInput,
    link: { relationship: string; parentalResponsibility: boolean; errors: FormError[] },
  ): FormError[] => {
    const out: FormError[] = [];
    try {
      validatePersonDetails(person, people.today());
    } catch (err) {
      out.push(...childProblems(err));
    }
    if (link.errors.length === 0) {
      try {
        validateFamilyLink(link);
      } catch (err) {
        out.push(...childProblems(err));
      }
    }
    return out;
  };

  // ---------------------------------------------------------------- choose who to add

  const renderChoose = async (
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
    const { id } = idParam.parse(request.params);
    return renderChoose(reply, request, id);
  });

  // A POST, so the name searched for is never in a URL.
  app.post('/children/:id/family/search', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), ['name']);
    try {
      const { results, more } = await people.searchPeople(
        request.actor!,
        id,
        String(values['name'] ?? ''),
        requestContext(request),
      );
      return renderChoose(reply, request, id, { values, searched: true, results, more });
    } catch (err) {
      const errors = childProblems(err);
      reply.code(400);
      return renderChoose(reply, request, id, { values, errors });
    }
  });

  // ---------------------------------------------------------------- link someone already recorded

  const renderLink = async (
    reply: FastifyReply,
    child: { id: string; givenNames: string; familyName: string },
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

  app.get('/children/:id/family/add/:personId', { config: EDIT }, async (request, reply) => {
    const { id, personId } = personParam.parse(request.params);
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'relationship.add', ctx);
    const person = await people.getLinkablePerson(request.actor!, id, personId, ctx);
    return renderLink(reply, child, person, {});
  });

  app.post('/children/:id/family/add/:personId', { config: EDIT }, async (request, reply) => {
    const { id, personId } = personParam.parse(request.params);
    const values = pickValues(bodyOf(request), LINK_FIELDS);
    const link = linkInputFrom(values);
    let ruleErrors: FormError[] = [];
    try {
      // Control characters are refused here, as a field error; the access check below still runs first.
      const ctx = requestContext(request);
      if (link.errors.length === 0) {
        await people.addFamilyMember(
          request.actor!,
          id,
          { personId, relationship: link.relationship, parentalResponsibility: link.parentalResponsibility },
          ctx,
        );
        return reply.flash('family-member-added').redirect(`/children/${id}`, 303);
      }
    } catch (err) {
      ruleErrors = childProblems(err);
    }
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'relationship.add', ctx);
    const person = await people.getLinkablePerson(request.actor!, id, personId, ctx);
    reply.code(400);
    return renderLink(reply, child, person, values, personErrors(link.errors, ruleErrors));
  });

  // ---------------------------------------------------------------- someone new, or change someone's details

  const renderPerson = async (
    reply: FastifyReply,
    child: { id: string; givenNames: string; familyName: string },
    opts: { action: string; title: string; values: FormValues; errors?: FormError[]; existing?: FamilyMemberRecord },
  ) =>
    reply.view('children/family-person.njk', {
      title: opts.title,
      child,
      action: opts.action,
      existing: opts.existing,
      values: opts.values,
      errors: opts.errors ?? [],
      relationshipItems: relationshipItems(opts.values['relationship'] as string | undefined),
      prItems: prItems(opts.values['parentalResponsibility'] as string | undefined),
    });

  app.get('/children/:id/family/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const child = await people.childHeading(request.actor!, id, 'relationship.add', requestContext(request));
    return renderPerson(reply, child, {
      action: `/children/${id}/family/new`,
      title: 'Add someone new to the family and network',
      values: {},
    });
  });

  app.post('/children/:id/family/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), [...PERSON_FIELDS, ...LINK_FIELDS]);
    const link = linkInputFrom(values);
    const { person, errors } = personInputFrom(values);
    const valid = link.errors.length === 0 && errors.length === 0;
    let ruleErrors: FormError[];
    try {
      // Control characters are refused here, as field errors; the access check below still runs first.
      const ctx = requestContext(request);
      if (valid) {
        await people.addFamilyMember(
          request.actor!,
          id,
          { person, relationship: link.relationship, parentalResponsibility: link.parentalResponsibility },
          ctx,
        );
        return reply.flash('family-member-added').redirect(`/children/${id}`, 303);
      }
      ruleErrors = ruleProblems(person, link);
    } catch (err) {
      ruleErrors = [...childProblems(err), ...(valid ? [] : ruleProblems(person, link))];
    }
    const child = await people.childHeading(request.actor!, id, 'relationship.add', requestContext(request));
    reply.code(400);
    return renderPerson(reply, child, {
      action: `/children/${id}/family/new`,
      title: 'Add someone new to the family and network',
      values,
      errors: personErrors(link.errors, errors, ruleErrors),
    });
  });

  const memberValues = (m: FamilyMemberRecord): FormValues => ({
    givenNames: m.person.givenNames,
    familyName: m.person.familyName,
    ...dateValues('dateOfBirth', m.person.dateOfBirth),
    address: m.person.address ?? '',
    email: m.person.email ?? '',
    phone: m.person.phone ?? '',
    language: m.person.language ?? '',
    interpreterNeeded: m.person.interpreterNeeded ? 'yes' : '',
    accessibilityNeeds: m.person.accessibilityNeeds ?? '',
    relationship: m.relationship,
    parentalResponsibility: m.parentalResponsibility ? 'yes' : 'no',
  });

  app.get('/children/:id/family/:personId/change', { config: EDIT }, async (request, reply) => {
    const { id, personId } = personParam.parse(request.params);
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
    const { id, personId } = personParam.parse(request.params);
    const values = pickValues(bodyOf(request), [...PERSON_FIELDS, ...LINK_FIELDS]);
    const link = linkInputFrom(values);
    const { person, errors } = personInputFrom(values);
    const valid = link.errors.length === 0 && errors.length === 0;
    let ruleErrors: FormError[];
    try {
      // Control characters are refused here, as field errors; the access check below still runs first.
      const ctx = requestContext(request);
      if (valid) {
        await people.changeFamilyMember(
          request.actor!,
          id,
          personId,
          { person, relationship: link.relationship, parentalResponsibility: link.parentalResponsibility },
          ctx,
        );
        return reply.flash('family-member-saved').redirect(`/children/${id}`, 303);
      }
      ruleErrors = ruleProblems(person, link);
    } catch (err) {
      ruleErrors = [...childProblems(err), ...(valid ? [] : ruleProblems(person, link))];
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

  // ---------------------------------------------------------------- remove someone from this child

  app.get('/children/:id/family/:personId/remove', { config: EDIT }, async (request, reply) => {
    const { id, personId } = personParam.parse(request.params);
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
    const { id, personId } = personParam.parse(request.params);
    await people.removeFamilyMember(request.actor!, id, personId, requestContext(request));
    return reply.flash('family-member-removed').redirect(`/children/${id}`, 303);
  });
}
