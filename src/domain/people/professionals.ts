import { limitedText, requiredText } from './errors.ts';
import { ProblemList } from '../shared/errors.ts';

/** Kinds of agency (DOMAIN.md "Professional"); quoracy later counts agencies by kind. */
export const AGENCY_KINDS = [
  'childrens_social_care',
  'police',
  'health_visitor',
  'midwife',
  'school',
  'gp',
  'probation',
  'camhs',
  'health',
  'education',
  'housing',
  'other',
] as const;

export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  childrens_social_care: 'Children’s social care',
  police: 'Police',
  health_visitor: 'Health visitor',
  midwife: 'Midwife',
  school: 'School',
  gp: 'GP',
  probation: 'Probation',
  camhs: 'CAMHS',
  health: 'Health',
  education: 'Education',
  housing: 'Housing',
  other: 'Other',
};

export function isAgencyKind(v: unknown): v is AgencyKind {
  return typeof v === 'string' && (AGENCY_KINDS as readonly string[]).includes(v);
}

export interface AgencyDetails {
  name: string;
  kind: AgencyKind;
}

export function validateAgency(input: { name?: string | null | undefined; kind?: unknown }): AgencyDetails {
  const p = new ProblemList();
  const name = requiredText(
    p,
    'name',
    input.name,
    'Enter the agency’s name',
    200,
    'Agency name must be 200 characters or fewer',
  );
  const kind = input.kind;
  if (!isAgencyKind(kind)) p.add('kind', 'Select the kind of agency');
  p.throwIfAny();
  return { name, kind: kind as AgencyKind };
}

export interface ProfessionalDetails {
  name: string;
  roleTitle: string;
  email: string | null;
  phone: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateProfessional(input: {
  name?: string | null | undefined;
  roleTitle?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
}): ProfessionalDetails {
  const p = new ProblemList();
  const name = requiredText(
    p,
    'name',
    input.name,
    'Enter the professional’s full name',
    200,
    'Name must be 200 characters or fewer',
  );
  const roleTitle = requiredText(
    p,
    'roleTitle',
    input.roleTitle,
    'Enter their role or job title',
    200,
    'Role or job title must be 200 characters or fewer',
  );
  const email = limitedText(p, 'email', input.email, 320, 'Email address must be 320 characters or fewer');
  if (email && !EMAIL.test(email))
    p.add('email', 'Enter an email address in the correct format, like name@example.gov.uk');
  const phone = limitedText(p, 'phone', input.phone, 30, 'Phone number must be 30 characters or fewer');
  p.throwIfAny();
  return { name, roleTitle, email, phone };
}
