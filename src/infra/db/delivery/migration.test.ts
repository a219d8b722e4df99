import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryFixture } from '../../../app/requests/delivery-test-support.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { deliveries, deliveryCodes, deliveryEvents } from '../delivery-schema.ts';

/** 0038's statements, without their comments. */
const STATEMENTS = readFileSync(new URL('../migrations/0038_delivery_links.sql', import.meta.url), 'utf8')
  .split('--> statement-breakpoint')
  .map((s) =>
    s
      .split('\n')
      .filter((l) => !l.startsWith('--'))
      .join('\n')
      .trim(),
  );
const VOID_OLD_CODES = STATEMENTS[0]!;
/** From cancelling the links of deliveries whose copy is missing to validating the key (the index exists already). */
const COPY_KEY = STATEMENTS.filter((s) =>
  /delivery_events" \("delivery_id"|UPDATE "deliveries"|copy_id_disclosure/.test(s),
);

describe.each(testDatabases())('0038_delivery_links (%s)', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestServices(kind);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const constraint = async () => {
    const r = await ctx.services.database.execute(
      `select convalidated from pg_constraint where conname = 'deliveries_copy_id_disclosure_copies_id_fk'`,
    );
    return r.rows;
  };

  it('A-6: a database the service made gets the key validated: a delivery must name a disclosure copy that exists', async () => {
    expect(await constraint()).toEqual([{ convalidated: true }]);
    const f = await deliveryFixture(ctx);
    await expect(
      ctx.services.uow.run((repos) =>
        repos.deliveries.insert({
          requestId: f.requestId,
          copyId: crypto.randomUUID(),
          documentSendingId: null,
          tokenHash: `test-${crypto.randomUUID()}`,
          email: 'dad@example.org',
          files: [],
          downloadLimit: 3,
          createdBy: f.support.id,
          createdAt: ctx.clock.now(),
          expiresAt: ctx.clock.now(),
        }),
      ),
    ).rejects.toThrow();
  });

  it('A-6: a delivery naming a missing copy is kept, its live link cancelled with a reason and an event, and the key still checks new rows', async () => {
    const { db } = ctx.services.database;
    const f = await deliveryFixture(ctx);
    const { deliveryId: sound } = await f.service.create(
      f.support,
      { requestId: f.requestId, copyId: f.copyId },
      { actor: { id: f.support.id, label: f.support.name } },
    );
    await ctx.services.database.execute(
      'alter table deliveries drop constraint deliveries_copy_id_disclosure_copies_id_fk',
    );
    const orphan = await ctx.services.uow.run((repos) =>
      repos.deliveries.insert({
        requestId: f.requestId,
        copyId: crypto.randomUUID(),
        documentSendingId: null,
        tokenHash: `test-${crypto.randomUUID()}`,
        email: 'dad@example.org',
        files: [],
        downloadLimit: 3,
        createdBy: f.support.id,
        createdAt: ctx.clock.now(),
        expiresAt: new Date(ctx.clock.now().getTime() + 86_400_000),
      }),
    );
    for (const statement of COPY_KEY) await db.execute(sql.raw(statement));
    const [row] = await db.select().from(deliveries).where(eq(deliveries.id, orphan.id));
    expect(row).toMatchObject({
      revokedBy: f.support.id,
      revokeReason: 'Cancelled when the service was upgraded: the copy this link released is not in the database',
    });
    expect(row!.revokedAt).not.toBeNull();
    const events = await db.select().from(deliveryEvents).where(eq(deliveryEvents.deliveryId, orphan.id));
    expect(events.map((e) => e.kind)).toEqual(['revoked']);
    const [kept] = await db.select().from(deliveries).where(eq(deliveries.id, sound));
    expect(kept!.revokedAt).toBeNull();
    expect(await constraint()).toEqual([{ convalidated: false }]);
    await expect(
      db.update(deliveries).set({ copyId: crypto.randomUUID() }).where(eq(deliveries.id, sound)),
    ).rejects.toThrow();
  });

  it('A-6: a code still open from before codes were keyed is voided; keyed codes and finished ones are left alone', async () => {
    const { db } = ctx.services.database;
    const f = await deliveryFixture(ctx);
    const { deliveryId } = await f.service.create(
      f.support,
      { requestId: f.requestId, copyId: f.copyId },
      { actor: { id: f.support.id, label: f.support.name } },
    );
    const at = ctx.clock.now();
    const later = new Date(at.getTime() + 600_000);
    const [old, keyed, used] = await db
      .insert(deliveryCodes)
      .values([
        { deliveryId, codeHash: 'a'.repeat(64), issuedAt: at, expiresAt: later },
        { deliveryId, codeHash: `hmac-sha256:${'b'.repeat(64)}`, issuedAt: at, expiresAt: later },
        { deliveryId, codeHash: 'c'.repeat(64), issuedAt: at, expiresAt: later, usedAt: at },
      ])
      .returning();
    await db.execute(sql.raw(VOID_OLD_CODES));
    const voided = async (id: string) =>
      (await db.select().from(deliveryCodes).where(eq(deliveryCodes.id, id)))[0]!.voidedAt !== null;
    expect(await voided(old!.id)).toBe(true);
    expect(await voided(keyed!.id)).toBe(false);
    expect(await voided(used!.id)).toBe(false);
  });
});
