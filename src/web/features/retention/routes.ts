/**
 * Retention and disposal, under Administration: the council's retention schedules, the review of records that
 * have reached their date (paged, filtered by kind), legal holds, destruction proposed by one person and approved by
 * a second, and the certificate of what was destroyed (a page and a tagged PDF). Each page calls one use case of
 * RetentionService, which checks the person's role and audits every view, change and refusal. One file per page.
 */
import type { FastifyInstance } from 'fastify';
import { certificatePages } from './certificate.ts';
import { holdPages } from './holds.ts';
import { proposalPages } from './proposals.ts';
import { reviewPages } from './review.ts';
import { schedulePages } from './schedules.ts';
import type { RetentionPagesOptions } from './shared.ts';

export async function retentionRoutes(app: FastifyInstance, opts: RetentionPagesOptions): Promise<void> {
  reviewPages(app, opts);
  schedulePages(app, opts);
  holdPages(app, opts);
  proposalPages(app, opts);
  certificatePages(app, opts);
}
