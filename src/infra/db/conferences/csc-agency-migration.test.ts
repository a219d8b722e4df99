import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Migration 0010's statement that adds the council's children's social care agency. */
async function seedStatement(): Promise<string> {
  const text = await readFile(path.join(here, '../migrations/0010_conference_changes.sql'), 'utf8');
  const statement = text
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .find((s) => s.includes('INSERT INTO "agencies"'));
  if (!statement) throw new Error('migration 0010 adds no agency');
  return statement;
}

// Q-1 needs children's social care at every conference: a new install has the agency from the start, and
// an existing database gets it too, without a second one where business support had already added theirs.
describe.each(testDatabases())('children’s social care seeded by migration 0010 (%s)', (kind) => {
  let ctx: TestContext;
  const csc = async () =>
    (
      await ctx.services.database.execute(
        `select name from agencies where kind = 'childrens_social_care' order by created_at, id`,
      )
    ).rows.map((r) => (r as { name: string }).name);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('a new install has the agency from the start', async () => {
    expect(await csc()).toEqual(['Children’s social care']);
  });

  it('an existing database that already has one keeps it and gets no second', async () => {
    await ctx.services.database.execute(`delete from agencies`);
    await ctx.services.database.execute(
      `insert into agencies (name, kind) values ('Luton Children’s Services', 'childrens_social_care')`,
    );
    await ctx.services.database.execute(await seedStatement());
    expect(await csc()).toEqual(['Luton Children’s Services']);
  });

  it('an existing database without one gets it, under another name when that name is taken by another kind of agency', async () => {
    await ctx.services.database.execute(`delete from agencies`);
    await ctx.services.database.execute(`insert into agencies (name, kind) values ('Children’s social care', 'other')`);
    await ctx.services.database.execute(await seedStatement());
    expect(await csc()).toEqual(['Children’s social care (this council)']);
    // Running it again adds nothing.
    await ctx.services.database.execute(await seedStatement());
    expect(await csc()).toEqual(['Children’s social care (this council)']);
  });
});
