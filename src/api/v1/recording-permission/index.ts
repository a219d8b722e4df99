/**
 * Requests to record a meeting, for integrations (P-1, P-2, P-3, P-6, T-11): the same use cases, access rules and
 * audit trail as the pages. A request is recorded for a conference or another meeting about a child (someone who may
 * not ask is refused at once with the reason), its signed notice of intent attached (base64, checked by content),
 * professionals' views recorded where they disagree about a conference, decided by the chair or social worker
 * against the refusal grounds with the evidence for each and what is offered instead, and confirmed to the
 * requester. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { RecordingPermissionUseCases } from '../../../app/recording-permission/service.ts';
import type { ApiOptions } from '../index.ts';
import { decisionRoutes } from './decisions.ts';
import { listRoutes } from './lists.ts';
import { requestRoutes } from './requests.ts';
import { undertakingRoutes } from './undertaking.ts';

export function recordingPermissionRoutes(app: FastifyInstance, service: RecordingPermissionUseCases): void {
  listRoutes(app, service);
  requestRoutes(app, service);
  undertakingRoutes(app, service);
  decisionRoutes(app, service);
}

export async function recordingPermissionApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  recordingPermissionRoutes(app, services.recordingPermission);
}
