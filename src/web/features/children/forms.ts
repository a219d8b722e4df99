import type { ChildInput, ProfessionalInput } from '../../../app/people/people-service.ts';
import {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  NETWORK_SUPPORT_KINDS,
  type PersonDetailsInput,
  RELATIONSHIP_KINDS,
  RELATIONSHIP_LABELS,
} from '../../../domain/people/index.ts';
import {
  type FormError,
  type FormValues,
  asArray,
  dateParts,
  fieldIds,
  mergeErrors,
  parseDateInput,
  pickValues,
  problemsAsErrors,
  str as text,
} from '../../forms/index.ts';

// ------------------------------------------------------------------ errors

/** Domain field names to the ids of the inputs on the page (dates point at their day box). */
export const FIELD_IDS: Record<string, string> = {
  dateOfBirth: 'dateOfBirth-day',
  expectedDeliveryDate: 'expectedDeliveryDate-day',
  version: 'main-content',
  'newAgency.name': 'newAgencyName',
  'newAgency.kind': 'newAgencyKind',
  personId: 'main-content',
  professionalId: 'main-content',
};

/** Domain problems as error summary items; access and not-found errors are rethrown for the error pages. */
export function childProblems(err: unknown, renames: Record<string, string> = FIELD_IDS): FormError[] {
  return problemsAsErrors(err, fieldIds({ renames }));
}

// ------------------------------------------------------------------ a child's details

export const CHILD_FIELDS = [
  'givenNames',
  'familyName',
  'birthStatus',
  ...dateParts('dateOfBirth'),
  ...dateParts('expectedDeliveryDate'),
  'address',
  'localReference',
  'nationality',
  'immigrationStatus',
  'legalStatus',
  'legalStatusDetails',
  'allocatedSocialWorkerId',
  'restricted',
  'restrictionShown',
] as const;

const CHILD_ORDER = [
  'givenNames',
  'familyName',
  'birthStatus',
  'dateOfBirth-day',
  'expectedDeliveryDate-day',
  'address',
  'localReference',
  'nationality',
  'immigrationStatus',
  'legalStatus',
  'legalStatusDetails',
  'allocatedSocialWorkerId',
  'restricted',
  'namedStaffIds',
  'main-content',
];

export function childValues(body: Record<string, unknown>): FormValues {
  return pickValues(body, CHILD_FIELDS, ['namedStaffIds']);
}

/** The child form as service input, with the form's own errors (a missing choice, a half-typed date). */
export function childInputFrom(values: FormValues): { input: ChildInput; errors: FormError[] } {
  const errors: FormError[] = [];
  const status = text(values['birthStatus']);
  let dateOfBirth: string | null = null;
  let expectedDeliveryDate: string | null = null;
  if (status === 'born') {
    const r = parseDateInput(values, 'dateOfBirth', 'Date of birth');
    if (r.error) errors.push({ text: r.error, href: '#dateOfBirth-day' });
    else if (!r.iso) errors.push({ text: 'Enter the child’s date of birth', href: '#dateOfBirth-day' });
    dateOfBirth = r.iso;
  } else if (status === 'unborn') {
    const r = parseDateInput(values, 'expectedDeliveryDate', 'Expected date of delivery');
    if (r.error) errors.push({ text: r.error, href: '#expectedDeliveryDate-day' });
    else if (!r.iso) errors.push({ text: 'Enter the expected date of delivery', href: '#expectedDeliveryDate-day' });
    expectedDeliveryDate = r.iso;
  } else {
    errors.push({ text: 'Select whether the child has been born', href: '#birthStatus' });
  }
  const restrictionShown = text(values['restrictionShown']) === 'yes';
  const sw = text(values['allocatedSocialWorkerId']);
  const input: ChildInput = {
    givenNames: text(values['givenNames']),
    familyName: text(values['familyName']),
    dateOfBirth,
    expectedDeliveryDate,
    address: text(values['address']),
    localReference: text(values['localReference']),
    nationality: text(values['nationality']),
    immigrationStatus: text(values['immigrationStatus']),
    legalStatus: text(values['legalStatus']),
    legalStatusDetails: text(values['legalStatusDetails']),
    allocatedSocialWorkerId: sw === '' ? null : sw,
    // Not on the form: leave the restriction as it is (the service decides who may change it).
    restricted: restrictionShown ? text(values['restricted']) === 'yes' : undefined,
    namedStaffIds: restrictionShown ? asArray(values['namedStaffIds']) : undefined,
  };
  return { input, errors };
}

export function childErrors(formErrors: FormError[], ruleErrors: FormError[]): FormError[] {
  return mergeErrors(CHILD_ORDER, formErrors, ruleErrors);
}

// ------------------------------------------------------------------ searching

export function searchInputFrom(values: FormValues): {
  input: { name: string; dateOfBirth: string | null; reference: string };
  errors: FormError[];
} {
  const r = parseDateInput(values, 'dateOfBirth', 'Date of birth');
  return {
    input: { name: text(values['name']), dateOfBirth: r.iso, reference: text(values['reference']) },
    errors: r.error ? [{ text: r.error, href: '#dateOfBirth-day' }] : [],
  };
}

// ------------------------------------------------------------------ family and network members

export const PERSON_FIELDS = [
  'givenNames',
  'familyName',
  ...dateParts('dateOfBirth'),
  'address',
  'email',
  'phone',
  'language',
  'interpreterNeeded',
  'accessibilityNeeds',
  'nationality',
  'immigrationStatus',
] as const;
export const LINK_FIELDS = ['relationship', 'parentalResponsibility'] as const;

const PERSON_ORDER = [
  'relationship',
  'parentalResponsibility',
  'givenNames',
  'familyName',
  'dateOfBirth-day',
  'address',
  'email',
  'phone',
  'language',
  'interpreterNeeded',
  'accessibilityNeeds',
  'nationality',
  'immigrationStatus',
  'main-content',
];

export function linkInputFrom(values: FormValues): {
  relationship: string;
  parentalResponsibility: boolean;
  errors: FormError[];
} {
  const errors: FormError[] = [];
  const relationship = text(values['relationship']);
  if (!relationship) errors.push({ text: 'Select the person’s relationship to the child', href: '#relationship' });
  const pr = text(values['parentalResponsibility']);
  if (pr !== 'yes' && pr !== 'no')
    errors.push({
      text: 'Select whether they have parental responsibility for this child',
      href: '#parentalResponsibility',
    });
  return { relationship, parentalResponsibility: pr === 'yes', errors };
}

export function personInputFrom(values: FormValues): { person: PersonDetailsInput; errors: FormError[] } {
  const r = parseDateInput(values, 'dateOfBirth', 'Date of birth');
  return {
    person: {
      givenNames: text(values['givenNames']),
      familyName: text(values['familyName']),
      dateOfBirth: r.iso,
      address: text(values['address']),
      email: text(values['email']),
      phone: text(values['phone']),
      language: text(values['language']),
      interpreterNeeded: text(values['interpreterNeeded']) === 'yes',
      accessibilityNeeds: text(values['accessibilityNeeds']),
      nationality: text(values['nationality']),
      immigrationStatus: text(values['immigrationStatus']),
    },
    errors: r.error ? [{ text: r.error, href: '#dateOfBirth-day' }] : [],
  };
}

export function personErrors(...lists: FormError[][]): FormError[] {
  return mergeErrors(PERSON_ORDER, ...lists);
}

const SUPPORTER_HINT =
  'Does not hold parental responsibility through this link and never receives the minutes or conference record';

/** Radio items for the relationship, with the W-4 hint on friends, supporters and advocates. */
export function relationshipItems(selected: string | undefined) {
  return RELATIONSHIP_KINDS.map((k) => ({
    value: k,
    text: RELATIONSHIP_LABELS[k],
    checked: selected === k,
    ...(NETWORK_SUPPORT_KINDS.includes(k) ? { hint: { text: SUPPORTER_HINT } } : {}),
  }));
}

export function prItems(selected: string | undefined) {
  return [
    { value: 'yes', text: 'Yes', checked: selected === 'yes' },
    { value: 'no', text: 'No', checked: selected === 'no' },
  ];
}

// ------------------------------------------------------------------ professionals and case notes

export const PROFESSIONAL_FIELDS = [
  'name',
  'roleTitle',
  'agencyId',
  'newAgencyName',
  'newAgencyKind',
  'email',
  'phone',
] as const;
const PROFESSIONAL_ORDER = [
  'name',
  'roleTitle',
  'agencyId',
  'newAgencyName',
  'newAgencyKind',
  'email',
  'phone',
  'main-content',
];

/** The new professional's answers as service input (a new agency only when one is named). */
export function professionalInputFrom(values: FormValues): NonNullable<ProfessionalInput['professional']> {
  const s = (k: string) => text(values[k]);
  return {
    name: s('name'),
    roleTitle: s('roleTitle'),
    email: s('email'),
    phone: s('phone'),
    agencyId: s('agencyId') || null,
    newAgency: s('newAgencyName') ? { name: s('newAgencyName'), kind: s('newAgencyKind') } : null,
  };
}

export function professionalErrors(...lists: FormError[][]): FormError[] {
  return mergeErrors(PROFESSIONAL_ORDER, ...lists);
}

export function agencyKindItems(selected: string | undefined) {
  return [
    { value: '', text: 'Select the kind of agency' },
    ...AGENCY_KINDS.map((k) => ({ value: k, text: AGENCY_KIND_LABELS[k], selected: selected === k })),
  ];
}
