/**
 * The council's local policy settings (003): administrators read and change them; every change is audited with who
 * made it, when, and the setting's value before and after. Use cases that follow a setting read it with
 * `readCouncilSettings` inside their own transaction, so a change takes effect from the next step taken.
 */
import type { Actor } from '../../domain/access/roles.ts';
import {
  COUNCIL_SETTING_NAMES,
  type CouncilSettingKey,
  type CouncilSettingValues,
  type CouncilSettings,
  DEFAULT_COUNCIL_SETTINGS,
  describeSetting,
  isCouncilSettingKey,
  readSetting,
  requireSettingsAdmin,
  validateSetting,
} from '../../domain/settings/council-settings.ts';
import { AccessDeniedError, NotFoundError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';

export interface CouncilSettingsServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
}

/** One setting as the administrator's page and the API show it. */
export interface CouncilSettingView<K extends CouncilSettingKey = CouncilSettingKey> {
  key: K;
  name: string;
  value: CouncilSettingValues[K];
  /** In words, as the audit trail records it. */
  description: string;
  /** The value is the default: nobody has chosen otherwise, or the default was chosen again. */
  isDefault: boolean;
  /** The version a change starts from (0: the default, never saved). */
  version: number;
  updatedAt: Date | null;
  updatedByName: string | null;
}

export interface CouncilSettingsView {
  documentDistribution: CouncilSettingView<'document-distribution'>;
  recordingCopies: CouncilSettingView<'recording-copies'>;
}

/** The council's settings as they stand, read in the caller's transaction. */
export async function readCouncilSettings(repos: Pick<Repositories, 'councilSettings'>): Promise<CouncilSettings> {
  const stored = new Map((await repos.councilSettings.list()).map((s) => [s.key, s]));
  const value = <K extends CouncilSettingKey>(key: K): CouncilSettingValues[K] => {
    const row = stored.get(key);
    return row ? readSetting(key, row.value) : DEFAULT_COUNCIL_SETTINGS[key];
  };
  return { 'document-distribution': value('document-distribution'), 'recording-copies': value('recording-copies') };
}

const SUBJECT_TYPE = 'council_setting';

export class CouncilSettingsService {
  private readonly deps: CouncilSettingsServiceDeps;

  constructor(deps: CouncilSettingsServiceDeps) {
    this.deps = deps;
  }

  /** Every setting with its value, who last changed it and when. Administrators only; a refusal is audited. */
  async settings(actor: Actor, ctx: RequestContext): Promise<CouncilSettingsView> {
    await this.requireAdmin(actor, ctx, 'council-settings.view');
    return this.deps.uow.run(async (repos) => {
      const stored = new Map((await repos.councilSettings.list()).map((s) => [s.key, s]));
      const view = <K extends CouncilSettingKey>(key: K): CouncilSettingView<K> => {
        const row = stored.get(key);
        const value = row ? readSetting(key, row.value) : DEFAULT_COUNCIL_SETTINGS[key];
        return {
          key,
          name: COUNCIL_SETTING_NAMES[key],
          value,
          description: describeSetting(key, value),
          isDefault: JSON.stringify(value) === JSON.stringify(DEFAULT_COUNCIL_SETTINGS[key]),
          version: row?.version ?? 0,
          updatedAt: row?.updatedAt ?? null,
          updatedByName: row?.updatedByName ?? null,
        };
      };
      return { documentDistribution: view('document-distribution'), recordingCopies: view('recording-copies') };
    });
  }

  /**
   * Changes one setting from the version the administrator started from (0: the default). Problems with the value
   * throw InvalidDetailsError, every one at once; a setting changed meanwhile throws StaleRecordError and nothing is
   * saved. Audited as council-settings.changed with the value before and after.
   */
  async changeSetting(
    actor: Actor,
    key: string,
    input: { value: unknown; version: number },
    ctx: RequestContext,
  ): Promise<CouncilSettingsView> {
    if (!isCouncilSettingKey(key)) throw new NotFoundError('The setting');
    await this.requireAdmin(actor, ctx, 'council-settings.change', key);
    const value = validateSetting(key, input.value);
    await this.deps.uow.run(async (repos) => {
      const before = (await readCouncilSettings(repos))[key];
      const version = await repos.councilSettings.save(key, {
        value,
        updatedBy: actor.id,
        at: this.deps.clock.now(),
        expectedVersion: input.version,
      });
      if (version === null)
        throw new StaleRecordError(
          'Someone else changed this setting after you opened it. Your change has not been saved: look at the setting as it is now and make your change again',
        );
      await repos.audit.record({
        action: 'council-settings.changed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: SUBJECT_TYPE, id: key },
        outcome: 'success',
        details: { from: describeSetting(key, before), to: describeSetting(key, value), version },
      });
    });
    return this.settings(actor, ctx);
  }

  private async requireAdmin(actor: Actor, ctx: RequestContext, action: string, key?: string): Promise<void> {
    try {
      requireSettingsAdmin(actor);
    } catch (err) {
      if (!(err instanceof AccessDeniedError)) throw err;
      await this.deps.uow.run((repos) =>
        repos.audit.record({
          action,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          ...(key ? { subject: { type: SUBJECT_TYPE, id: key } } : {}),
          outcome: 'denied',
        }),
      );
      throw err;
    }
  }
}
