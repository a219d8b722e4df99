/**
 * The family's recording on the day of a conference, for integrations (P-4, P-5, P-6, P-7): the same use cases,
 * access rules and audit trail as the pages. Everyone present is asked, before any discussion and again when someone
 * joins or a new request is made, and each answer is kept with the reason for a refusal or the further authorisation
 * needed; a copy of the family's recording handed over is stored encrypted with the conference, marked as theirs and
 * never the official record. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { RecordingConsentUseCases } from '../../../app/recording-consent/service.ts';
import type { ApiOptions } from '../index.ts';
import { askingRoutes } from './asking.ts';
import { copiesRoutes } from './copies.ts';
import { onTheDayRoutes } from './on-the-day.ts';

export function recordingConsentRoutes(app: FastifyInstance, consent: RecordingConsentUseCases): void {
  onTheDayRoutes(app, consent);
  askingRoutes(app, consent);
  copiesRoutes(app, consent);
}

export async function recordingConsentApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  recordingConsentRoutes(app, services.recordingConsent);
}
