/**
 * Retention and disposal, for integrations: the same use cases as the pages. Schedules, the review of records
 * that have reached their date, legal holds, proposals and their approval by a second person, and certificates.
 * Information governance, the QA service manager and administrators only (schedules are changed by an administrator
 * or the QA service manager); every view, change and refusal is audited with ids only.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../index.ts';
import { retentionCertificateApi } from './certificate.ts';
import { retentionHoldsApi } from './holds.ts';
import { retentionProposalsApi } from './proposals.ts';
import { retentionReviewApi } from './review.ts';
import { retentionSchedulesApi } from './schedules.ts';

export async function retentionApi(app: FastifyInstance, opts: ApiOptions): Promise<void> {
  await retentionSchedulesApi(app, opts);
  await retentionReviewApi(app, opts);
  await retentionHoldsApi(app, opts);
  await retentionProposalsApi(app, opts);
  await retentionCertificateApi(app, opts);
}
