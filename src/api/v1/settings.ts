/**
 * The council's local policy settings (003), for integrations: the same use cases as the administrators' page. Only
 * an administrator reads or changes them; a refusal is audited, and every change is audited with the value before
 * and after. A change carries the version last read: a setting changed since is refused (409).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CouncilSettingView, CouncilSettingsView } from '../../app/settings/council-settings-service.ts';
import {
  COUNCIL_SETTING_KEYS,
  DOCUMENT_DISTRIBUTIONS,
  REFUSAL_REASON_MAX,
} from '../../domain/settings/council-settings.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';

const ADMIN = { access: ['admin'] as const };
const TAGS = ['council settings'];

const readErrors = { 401: errorResponse, 403: errorResponse };
const changeErrors = { ...readErrors, 400: errorResponse, 404: errorResponse, 409: errorResponse, 422: errorResponse };

const changed = {
  version: z
    .number()
    .int()
    .describe('0 while the default is in use and nobody has changed it; send it back with a change'),
  updatedAt: z.string().nullable().describe('When an administrator last changed it (ISO 8601); null: never'),
  updatedByName: z.string().nullable(),
  isDefault: z.boolean().describe('The value is the service’s behaviour before any choice'),
  description: z.string().describe('The value in words, as the audit trail records it'),
};
const settingsSchema = z.object({
  documentDistribution: z.object({
    ...changed,
    value: z.object({
      distribution: z
        .enum(DOCUMENT_DISTRIBUTIONS)
        .describe(
          'full-record (the default): every document goes out. decisions-only: the conference record is kept on the children’s file and issued only as the file copy',
        ),
    }),
  }),
  recordingCopies: z.object({
    ...changed,
    value: z.object({
      familyCopies: z
        .boolean()
        .describe('A-1: whether a child or a person with parental responsibility may be given a copy (default true)'),
      reason: z
        .string()
        .nullable()
        .describe('The council’s reason given to anyone refused; null while copies are given'),
    }),
  }),
});

const common = <K extends CouncilSettingView>(s: K) => ({
  version: s.version,
  updatedAt: s.updatedAt ? s.updatedAt.toISOString() : null,
  updatedByName: s.updatedByName,
  isDefault: s.isDefault,
  description: s.description,
});
const settingsOut = (v: CouncilSettingsView): z.infer<typeof settingsSchema> => ({
  documentDistribution: { ...common(v.documentDistribution), value: v.documentDistribution.value },
  recordingCopies: { ...common(v.recordingCopies), value: v.recordingCopies.value },
});

export async function settingsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { councilSettings } = services;

  api.get(
    '/settings',
    {
      config: ADMIN,
      schema: {
        operationId: 'CouncilSettingsService.settings',
        summary: 'The council’s local policy settings (003), each with who last changed it and when',
        description: 'Administrators only; a refusal is audited.',
        tags: TAGS,
        response: { 200: settingsSchema, ...readErrors },
      },
    },
    async (request) => settingsOut(await councilSettings.settings(request.actor!, requestContext(request))),
  );

  api.put(
    '/settings/:key',
    {
      config: ADMIN,
      schema: {
        operationId: 'CouncilSettingsService.changeSetting',
        summary: 'Change one of the council’s settings (003)',
        description:
          'document-distribution takes `distribution`; recording-copies takes `familyCopies` and, when false, the council’s `reason` (422 without it). Courts, another local authority and the council’s own services are never refused by recording-copies. At the version last read: a setting changed since is refused (409). Audited with the value before and after.',
        tags: TAGS,
        params: z.object({ key: z.enum(COUNCIL_SETTING_KEYS) }),
        body: z.object({
          version: z.number().int().min(0).describe('The setting’s `version` as last read (0: the default)'),
          value: z.object({
            distribution: z.enum(DOCUMENT_DISTRIBUTIONS).optional(),
            familyCopies: z.boolean().optional(),
            reason: z.string().max(REFUSAL_REASON_MAX).nullish(),
          }),
        }),
        response: { 200: settingsSchema, ...changeErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        settingsOut(
          await councilSettings.changeSetting(
            request.actor!,
            request.params.key,
            { value: request.body.value, version: request.body.version },
            requestContext(request),
          ),
        ),
      ),
  );
}
