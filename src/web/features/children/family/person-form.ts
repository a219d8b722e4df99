/** The family or network member form, shared by adding someone new and changing someone's details. */
import type { FastifyReply } from 'fastify';
import type { PeopleService } from '../../../../app/people/people-service.ts';
import type { FamilyMemberRecord, PersonRecord } from '../../../../app/people/ports.ts';
import type { PersonDetailsInput } from '../../../../domain/people/index.ts';
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { type FormError, type FormValues, dateValues } from '../../../forms/index.ts';
import { childProblems, prItems, relationshipItems } from '../forms.ts';

export const EDIT = { access: RECORD_EDITOR_ROLES };

export type PeopleDeps = { people: PeopleService };

export type ChildHeading = { id: string; givenNames: string; familyName: string };

export const personName = (p: PersonRecord) => `${p.givenNames} ${p.familyName}`;

/** The rules' problems too, when the form itself has errors, so every problem shows at once. */
export function ruleProblems(
  people: PeopleService,
  person: PersonDetailsInput,
  link: { relationship: string; parentalResponsibility: boolean; errors: FormError[] },
): FormError[] {
  const problems = people.familyMemberProblems(person, link.errors.length === 0 ? link : null);
  return problems.flatMap((err) => childProblems(err));
}

export const renderPerson = async (
  reply: FastifyReply,
  child: ChildHeading,
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

/** A family member's saved details and link as the form's values. */
export const memberValues = (m: FamilyMemberRecord): FormValues => ({
  givenNames: m.person.givenNames,
  familyName: m.person.familyName,
  ...dateValues('dateOfBirth', m.person.dateOfBirth),
  address: m.person.address ?? '',
  email: m.person.email ?? '',
  phone: m.person.phone ?? '',
  language: m.person.language ?? '',
  interpreterNeeded: m.person.interpreterNeeded ? 'yes' : '',
  accessibilityNeeds: m.person.accessibilityNeeds ?? '',
  nationality: m.person.nationality ?? '',
  immigrationStatus: m.person.immigrationStatus ?? '',
  relationship: m.relationship,
  parentalResponsibility: m.parentalResponsibility ? 'yes' : 'no',
});
