import { z } from 'zod';
import type { ChildInput } from '../../../app/people/people-service.ts';
import { isIsoDate } from '../../../domain/calendar/index.ts';
import {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  NETWORK_SUPPORT_KINDS,
  type PersonDetailsInput,
  RELATIONSHIP_KINDS,
  RELATIONSHIP_LABELS,
} from '../../../domain/people/index.ts';
import { asArray, domainFormError } from '../../forms.ts';
import type { FormError } from '../../types.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { InvalidDetailsError } from '../../../domain/shared/errors.ts';

/** Form values exactly as typed, for re-rendering a form with the person's input kept. */
export type FormValues = Record<string, string | string[] | undefined>;

const text = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';

/** Keeps only the named fields, as strings (or string arrays for checkboxes). */
export function pickValues(
  body: Record<string, unknown>,
  fields: readonly string[],
  lists: readonly string[] = [],
): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f] = text(body[f]).slice(0, 20_000);
  for (const f of lists) out[f] = asArray(body[f]).slice(0, 100);
  return out;
}

// ------------------------------------------------------------------ GOV.UK date input

export const dateParts = (prefix: string) => [`${prefix}-day`, `${prefix}-month`, `${prefix}-year`];

/**
 * A govukDateInput's three boxes as `YYYY-MM-DD`. Blank boxes give null (the rules decide whether the
 * date is needed); a half-filled or impossible date gives the GOV.UK pattern's message.
 */
export function parseDateInput(
  values: FormValues,
  prefix: string,
  label: string,
): { iso: string | null; error: string | null } {
  const [d, m, y] = dateParts(prefix).map((k) => text(values[k]).trim()) as [string, string, string];
  if (!d && !m && !y) return { iso: null, error: null };
  const missing = [!d && 'day', !m && 'month', !y && 'year'].filter(Boolean) as string[];
  if (missing.length) return { iso: null, error: `${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d+$/.test(y))
    return { iso: null, error: `${label} must be a real date` };
  if (y.length !== 4) return { iso: null, error: 'Year must include 4 numbers' };
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isIsoDate(iso) ? { iso, error: null } : { iso: null, error: `${label} must be a real date` };
}

/** `YYYY-MM-DD` to the three boxes, for a change form. */
export function dateValues(prefix: string, iso: string | null | undefined): FormValues {
  const [y, m, d] = (iso ?? '').split('-');
  return {
    [`${prefix}-day`]: d ? String(Number(d)) : '',
    [`${prefix}-month`]: m ? String(Number(m)) : '',
    [`${prefix}-year`]: y ?? '',
  };
}

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
export function problemsAsErrors(err: unknown, fieldIds: Record<string, string> = FIELD_IDS): FormError[] {
  if (err instanceof InvalidDetailsError) {
    return err.problems.map((p) => ({ text: p.message, href: `#${fieldIds[p.field] ?? (p.field || 'main-content')}` }));
  }
  return domainFormError(err, fieldIds);
}

/** Form-level errors first; a rule's error on a field that already has one is left out. Ordered as on the page. */
export function mergeErrors(order: readonly string[], ...lists: FormError[][]): FormError[] {
  const seen = new Set<string>();
  const out: FormError[] = [];
  for (const e of lists.flat()) {
    if (seen.has(e.href)) continue;
    seen.add(e.href);
    out.push(e);
  }
  const rank = (e: FormError) => {
    const i = order.indexOf(e.href.slice(1));
    return i === -1 ? order.length : i;
  };
  return out.sort((a, b) => rank(a) - rank(b));
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

export function professionalErrors(...lists: FormError[][]): FormError[] {
  return mergeErrors(PROFESSIONAL_ORDER, ...lists);
}

export function agencyKindItems(selected: string | undefined) {
  return [
    { value: '', text: 'Select the kind of agency' },
    ...AGENCY_KINDS.map((k) => ({ value: k, text: AGENCY_KIND_LABELS[k], selected: selected === k })),
  ];
}

export const caseNoteForm = z.object({
  text: z.string().trim().min(1, 'Enter the case note').max(10_000, 'Case note must be 10,000 characters or fewer'),
});

export const idParam = z.object({ id: idSchema });
export const personParam = z.object({ id: idSchema, personId: idSchema });
export const professionalParam = z.object({ id: idSchema, professionalId: idSchema });
