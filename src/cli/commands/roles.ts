import { InvalidArgumentError } from 'commander';
import { ROLES, type Role, isRole } from '../../domain/access/roles.ts';

export const VALID_ROLES = `Valid roles: ${ROLES.join(', ')}`;

/** For a repeatable --role option: each use adds one role (or several, comma-separated). */
export function collectRole(value: string, previous: Role[] | undefined): Role[] {
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !isRole(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `${unknown.length ? `"${unknown.join('", "')}" is not a role` : 'no role given'}. ${VALID_ROLES}.`,
    );
  }
  return [...new Set([...(previous ?? []), ...(roles as Role[])])];
}
