import { DrizzleQueryError } from 'drizzle-orm/errors';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { appLoggerOptions, buildApp } from '../../web/app.ts';
import { addChild, staff } from '../../../test/support/people.ts';
import { createLogger } from '../logger.ts';
import { caseNotes } from './schema.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { signedInClient } from '../../../test/support/web.ts';

// What people typed, which must never reach a log line when the database refuses it.
const PERSONAL = [
  'Zebedee',
  'Quartermaine',
  '2016-07-19',
  '12 Larkspur Close',
  'disclosed the bruising to her teacher',
];

const noPersonalData = (lines: string[]) => {
  const all = lines.join('\n');
  for (const p of PERSONAL) expect(all, `log contains "${p}"`).not.toContain(p);
};

describe.each(testDatabases())('database errors in the logs carry no personal data (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let childId: string;
  const lines: string[] = [];

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    // Checks that refuse the values below, so the database raises its error (with the row in `detail`).
    await ctx.services.database.execute(
      `alter table case_notes add constraint forced_failure check (text not like '%bruising%')`,
    );
    await ctx.services.database.execute(
      `alter table children add constraint forced_failure check (given_names <> 'Zebedee')`,
    );
    app = await buildApp(ctx.services, {
      logger: appLoggerOptions('info', { write: (line) => void lines.push(line) }),
    });
    await app.ready();
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    childId = await addChild(ctx, sw);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('a case note the database refuses, through the page: 500, logged with code, constraint and table only', async () => {
    const { client } = await signedInClient(ctx, app, {
      email: 'sam.worker@example.gov.uk',
      name: 'Sam Worker',
      roles: ['social_worker'],
    });
    lines.length = 0;
    const res = await client.post(
      `/children/${childId}/case-notes/new`,
      { text: `Zebedee Quartermaine (2016-07-19) of 12 Larkspur Close disclosed the bruising to her teacher` },
      { fromPage: `/children/${childId}/case-notes/new` },
    );
    expect(res.statusCode).toBe(500);
    const logged = lines.map((l) => JSON.parse(l) as { err?: Record<string, unknown> }).find((l) => l.err);
    expect(logged?.err).toMatchObject({ code: '23514', constraint: 'forced_failure', table: 'case_notes' });
    expect(logged?.err?.['message']).toBe(
      'Database query failed (code 23514, constraint forced_failure, table case_notes): new row for relation "case_notes" violates check constraint "forced_failure"',
    );
    noPersonalData(lines);
  });

  it('a child the database refuses, through the API: logged with code, constraint and table only', async () => {
    const { token } = await ctx.services.accounts.createApiToken(sw.id, 'test', null, {
      actor: { id: sw.id, label: 'test' },
    });
    lines.length = 0;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/children',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        givenNames: 'Zebedee',
        familyName: 'Quartermaine',
        dateOfBirth: '2016-07-19',
        address: '12 Larkspur Close',
        localReference: 'LOG-1',
      },
    });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('Zebedee');
    expect(lines.some((l) => l.includes('"table":"children"'))).toBe(true);
    noPersonalData(lines);
  });

  it('a background job’s logger (the production logger) writes only the facts of a failed query', async () => {
    const jobLines: string[] = [];
    const logger = createLogger('info', { write: (line) => void jobLines.push(line) });
    const err = await ctx.services.database.db
      .insert(caseNotes)
      .values({
        childId,
        authorLabel: 'Zebedee Quartermaine',
        kind: 'note',
        text: 'disclosed the bruising to her teacher at 12 Larkspur Close',
      })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(Error);
    // Scrubbed where it was raised: the caller never holds the values either.
    expect(
      JSON.stringify({ message: err!.message, stack: err!.stack, cause: String((err as { cause?: unknown }).cause) }),
    ).not.toMatch(/Zebedee|bruising|Larkspur/);
    logger.error({ err }, 'disclosure copy failed');
    // An error built as drizzle builds it, never scrubbed: the serializer alone keeps the values out.
    const cause = Object.assign(
      new Error('new row for relation "children" violates check constraint "forced_failure"'),
      {
        code: '23514',
        severity: 'ERROR',
        table: 'children',
        constraint: 'forced_failure',
        detail: 'Failing row contains (Zebedee, Quartermaine, 2016-07-19, 12 Larkspur Close).',
      },
    );
    logger.error(
      {
        err: new DrizzleQueryError(
          'insert into "children" ("given_names") values ($1)',
          ['Zebedee', 'Quartermaine', '2016-07-19'],
          cause,
        ),
      },
      'job failed',
    );
    logger.error(new DrizzleQueryError('select 1', ['12 Larkspur Close'], cause));
    expect(jobLines).toHaveLength(3);
    for (const line of jobLines)
      expect(JSON.parse(line).err ?? JSON.parse(line)).toMatchObject({ code: '23514', constraint: 'forced_failure' });
    noPersonalData(jobLines);
  });

  it('a raw query’s failure is scrubbed too, keeping the code callers test', async () => {
    const err = await ctx.services.database.execute(`select $1::uuid`, ['Zebedee Quartermaine']).then(
      () => null,
      (e: unknown) => e as { code?: string; message: string },
    );
    expect(err?.code).toBe('22P02');
    expect(err?.message).not.toContain('Zebedee');
    const viaDrizzle = await ctx.services.database.db.execute(sql`select ${'Zebedee Quartermaine'}::uuid`).then(
      () => null,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(viaDrizzle?.cause?.code).toBe('22P02');
    expect(`${viaDrizzle?.message} ${viaDrizzle?.stack} ${JSON.stringify(viaDrizzle)}`).not.toContain('Zebedee');
  });
});
