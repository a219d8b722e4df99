/**
 * The council's local policy settings (003), under Administration: what is sent after a conference, and whether the
 * family may be given copies of recordings. One form per setting; a change made from an out-of-date page is refused
 * (409) with the setting as it now is. Every change is audited by the service.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { CouncilSettingsService, CouncilSettingsView } from '../../../app/settings/council-settings-service.ts';
import {
  COUNCIL_SETTING_NAMES,
  type CouncilSettingKey,
  DOCUMENT_DISTRIBUTIONS,
  DOCUMENT_DISTRIBUTION_HINTS,
  DOCUMENT_DISTRIBUTION_LABELS,
  REFUSAL_REASON_MAX,
  isCouncilSettingKey,
} from '../../../domain/settings/council-settings.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';

const ADMIN = { access: ['admin'] as const };

const keyParam = z.object({ key: z.string().max(40) });
const versionOf = (body: Record<string, unknown>): number => {
  const n = Number(text(body, 'version'));
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

/** What each form shows: the setting as saved, or as typed when it is shown again with a problem. */
function savedValues(view: CouncilSettingsView): Record<CouncilSettingKey, FormValues> {
  const copies = view.recordingCopies.value;
  return {
    'document-distribution': {
      distribution: view.documentDistribution.value.distribution,
      version: String(view.documentDistribution.version),
    },
    'recording-copies': {
      familyCopies: copies.familyCopies ? 'yes' : 'no',
      reason: copies.reason ?? '',
      version: String(view.recordingCopies.version),
    },
  };
}

function settingsPage(
  reply: FastifyReply,
  view: CouncilSettingsView,
  extra: { key?: CouncilSettingKey; values?: FormValues; errors?: FormError[]; done?: string | undefined } = {},
) {
  const values = savedValues(view);
  if (extra.key && extra.values) values[extra.key] = { ...extra.values, version: values[extra.key].version };
  return reply.view('settings/settings.njk', {
    title: 'Council settings',
    settings: view,
    values,
    errors: extra.errors ?? [],
    errorKey: extra.key ?? null,
    done: extra.done,
    distributionItems: DOCUMENT_DISTRIBUTIONS.map((value) => ({
      value,
      text: DOCUMENT_DISTRIBUTION_LABELS[value],
      hint: DOCUMENT_DISTRIBUTION_HINTS[value],
    })),
    reasonMax: REFUSAL_REASON_MAX,
  });
}

/** The setting's value as the form sends it, for the service to check. */
function formValue(key: CouncilSettingKey, body: Record<string, unknown>): { values: FormValues; value: unknown } {
  if (key === 'document-distribution') {
    const distribution = text(body, 'distribution');
    return { values: { distribution }, value: { distribution } };
  }
  const answer = text(body, 'familyCopies');
  const reason = text(body, 'reason', REFUSAL_REASON_MAX + 1000);
  const familyCopies = answer === 'yes' ? true : answer === 'no' ? false : null;
  return { values: { familyCopies: answer, reason }, value: { familyCopies, reason } };
}

export async function settingsRoutes(
  app: FastifyInstance,
  { councilSettings }: { councilSettings: CouncilSettingsService },
): Promise<void> {
  app.get('/admin/settings', { config: ADMIN }, async (request, reply) => {
    const view = await councilSettings.settings(request.actor!, readingContext(request));
    const done = (request.query as Record<string, unknown> | undefined)?.['done'];
    return settingsPage(reply, view, {
      done: isCouncilSettingKey(done) ? `${COUNCIL_SETTING_NAMES[done]}: your change has been saved.` : undefined,
    });
  });

  app.post('/admin/settings/:key', { config: ADMIN }, async (request, reply) => {
    const { key } = keyParam.parse(request.params);
    if (!isCouncilSettingKey(key)) return reply.callNotFound();
    const body = bodyOf(request);
    const { values, value } = formValue(key, body);
    return submit<CouncilSettingsView, unknown>({
      call: () =>
        councilSettings.changeSetting(
          request.actor!,
          key,
          { value, version: versionOf(body) },
          requestContext(request),
        ),
      next: () => reply.redirect(`/admin/settings?done=${key}`, 303),
      again: async (errors, status) =>
        settingsPage(reply.code(status), await councilSettings.settings(request.actor!, readingContext(request)), {
          key,
          values,
          errors,
        }),
    });
  });
}
