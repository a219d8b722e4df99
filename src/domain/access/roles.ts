/**
 * Staff roles (DOMAIN.md "Staff roles in the product"). A person may hold several. The council's legal services
 * (`legal_adviser`) see covert recording incidents only (P-9), never the rest of a child's record.
 */
export const ROLES = [
  'chair',
  'business_support',
  'social_worker',
  'team_manager',
  'qa_manager',
  'access_to_records',
  'admin',
  'auditor',
  'legal_adviser',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  chair: 'Conference chair',
  business_support: 'Conference business support officer',
  social_worker: 'Social worker',
  team_manager: 'Team manager',
  qa_manager: 'Quality assurance service manager',
  access_to_records: 'Information governance / access to records',
  admin: 'Administrator',
  auditor: 'Auditor',
  legal_adviser: 'Legal adviser',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface Actor {
  id: string;
  name: string;
  roles: readonly Role[];
}

export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}
