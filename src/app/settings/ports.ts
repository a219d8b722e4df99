/** Where the council's local policy settings (003) are kept. */
import type { CouncilSettingKey } from '../../domain/settings/council-settings.ts';

export interface StoredCouncilSetting {
  key: CouncilSettingKey;
  /** As saved; read back through `readSetting`, so a value that no longer reads is the default. */
  value: unknown;
  version: number;
  updatedAt: Date;
  updatedByName: string | null;
}

export interface CouncilSettingsRepository {
  /** Every setting an administrator has changed; the others have their defaults. */
  list(): Promise<StoredCouncilSetting[]>;
  /**
   * Saves a setting. `expectedVersion` is the version the change was made from (0: the default, never saved).
   * Returns the new version, or null when the setting has changed since (nothing is saved).
   */
  save(
    key: CouncilSettingKey,
    change: { value: unknown; updatedBy: string; at: Date; expectedVersion: number },
  ): Promise<number | null>;
}
