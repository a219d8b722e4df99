/** The child's details form, shared by adding a child and changing one: its choices and its values. */
import type { FastifyReply } from 'fastify';
import type { PeopleService, StaffRef } from '../../../app/people/people-service.ts';
import type { ChildRecord } from '../../../app/people/ports.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { LEGAL_STATUS_LABELS, LEGAL_STATUSES } from '../../../domain/people/index.ts';
import { type FormError, type FormValues, dateValues } from '../../forms/index.ts';

/** The social worker list, plus the current one if their account has since changed, so the form can keep them. */
function withCurrent(socialWorkers: StaffRef[], child?: ChildRecord): StaffRef[] {
  if (!child?.allocatedSocialWorkerId || socialWorkers.some((s) => s.id === child.allocatedSocialWorkerId))
    return socialWorkers;
  return [
    ...socialWorkers,
    { id: child.allocatedSocialWorkerId, name: child.allocatedSocialWorkerName ?? 'Unknown account' },
  ];
}

/** The form's values and its lists of staff (the person filling it in is marked "(you)"). */
export async function childFormContext(
  people: PeopleService,
  actor: Actor,
  values: FormValues,
  extra: { restrictionShown: boolean; child?: ChildRecord },
) {
  const { socialWorkers, staff } = await people.staffChoices();
  const selectedSw = values['allocatedSocialWorkerId'];
  const named = (values['namedStaffIds'] as string[] | undefined) ?? [];
  return {
    values,
    restrictionShown: extra.restrictionShown,
    legalStatusItems: [
      { value: '', text: 'Not recorded yet' },
      ...LEGAL_STATUSES.map((s) => ({ value: s, text: LEGAL_STATUS_LABELS[s], selected: values['legalStatus'] === s })),
    ],
    socialWorkerItems: [
      { value: '', text: 'Not allocated yet' },
      ...withCurrent(socialWorkers, extra.child).map((s) => ({
        value: s.id,
        text: s.id === actor.id ? `${s.name} (you)` : s.name,
        selected: s.id === selectedSw,
      })),
    ],
    staffItems: staff.map((s) => ({
      value: s.id,
      text: s.id === actor.id ? `${s.name} (you)` : s.name,
      checked: named.includes(s.id),
    })),
  };
}

/** The form to add a child, with the answers given so far. */
export async function renderNewChild(
  reply: FastifyReply,
  people: PeopleService,
  actor: Actor,
  values: FormValues,
  errors: FormError[] = [],
) {
  if (errors.length) reply.code(400);
  return reply.view('children/child-form.njk', {
    title: 'Add a child',
    action: '/children/new',
    backHref: '/children',
    buttonText: 'Continue',
    errors,
    ...(await childFormContext(people, actor, values, { restrictionShown: people.mayRestrictNewChild(actor) })),
  });
}

/** A saved child's details as the form's values. */
export const childFormValues = (c: ChildRecord): FormValues => ({
  givenNames: c.givenNames,
  familyName: c.familyName,
  birthStatus: c.dateOfBirth ? 'born' : 'unborn',
  ...dateValues('dateOfBirth', c.dateOfBirth),
  ...dateValues('expectedDeliveryDate', c.expectedDeliveryDate),
  address: c.address,
  localReference: c.localReference,
  nationality: c.nationality ?? '',
  immigrationStatus: c.immigrationStatus ?? '',
  legalStatus: c.legalStatus ?? '',
  legalStatusDetails: c.legalStatusDetails ?? '',
  allocatedSocialWorkerId: c.allocatedSocialWorkerId ?? '',
  restricted: c.restricted ? 'yes' : '',
  namedStaffIds: c.namedStaffIds,
});
