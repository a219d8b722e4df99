/** The council's local policy settings (003) in the council_settings table. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CouncilSettingsRepository, StoredCouncilSetting } from '../../../app/settings/ports.ts';
import { COUNCIL_SETTING_KEYS } from '../../../domain/settings/council-settings.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { users } from '../schema.ts';
import { councilSettings } from '../settings-schema.ts';

export function councilSettingsRepository(db: DbOrTx): CouncilSettingsRepository {
  return {
    async list() {
      const rows = await db
        .select({
          key: councilSettings.key,
          value: councilSettings.value,
          version: councilSettings.version,
          updatedAt: councilSettings.updatedAt,
          updatedByName: users.name,
        })
        .from(councilSettings)
        .leftJoin(users, eq(users.id, councilSettings.updatedBy))
        .orderBy(asc(councilSettings.key));
      return rows.map((r): StoredCouncilSetting => ({
        ...r,
        key: oneOf(COUNCIL_SETTING_KEYS, r.key, 'council_settings.key'),
      }));
    },

    async save(key, { value, updatedBy, at, expectedVersion }) {
      if (expectedVersion === 0) {
        const rows = await db
          .insert(councilSettings)
          .values({ key, value, version: 1, updatedBy, updatedAt: at })
          .onConflictDoNothing({ target: councilSettings.key })
          .returning({ version: councilSettings.version });
        return rows[0]?.version ?? null;
      }
      const rows = await db
        .update(councilSettings)
        .set({ value, updatedBy, updatedAt: at, version: sql`${councilSettings.version} + 1` })
        .where(and(eq(councilSettings.key, key), eq(councilSettings.version, expectedVersion)))
        .returning({ version: councilSettings.version });
      return rows[0]?.version ?? null;
    },
  };
}
