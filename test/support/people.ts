import { asc, eq } from 'drizzle-orm';
import type { ChildInput } from '../../src/app/people/people-service.ts';
import type { Actor, Role } from '../../src/domain/access/roles.ts';
import { auditEvents } from '../../src/infra/db/schema.ts';
import type { TestContext } from './services.ts';

const system = { actor: { id: null, label: 'test set-up' } };

/** A user created directly through the service, as an Actor. */
export async function staff(ctx: TestContext, name: string, roles: Role[]): Promise<Actor> {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.gov.uk`;
  const existing = await ctx.services.accounts.findUserByEmail(email);
  const user =
    existing ??
    (await ctx.services.accounts.createUser({ email, name, roles, password: 'correct horse battery staple' }, system));
  return { id: user.id, name: user.name, roles: user.roles };
}

export function emailOf(actor: Actor): string {
  return `${actor.name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.gov.uk`;
}

let counter = 0;
/** A child added through the service (references are unique per test run). */
export async function addChild(ctx: TestContext, by: Actor, overrides: ChildInput = {}): Promise<string> {
  counter += 1;
  const { id } = await ctx.services.people.createChild(
    by,
    {
      givenNames: 'Ava',
      familyName: 'Example',
      dateOfBirth: '2018-04-01',
      address: '1 Test Street, Testtown',
      localReference: `T-${process.pid}-${counter}`,
      ...overrides,
    },
    { actor: { id: by.id, label: by.name } },
  );
  return id;
}

export async function auditRows(ctx: TestContext, action?: string) {
  const q = ctx.services.database.db.select().from(auditEvents);
  return (action ? q.where(eq(auditEvents.action, action)) : q).orderBy(asc(auditEvents.seq));
}
