/**
 * Complaints about a conference (W-7, 002 §3.12), under /conferences/:id/complaints, reached from the conference's
 * written record: the list, recording a complaint, and a complaint's page where it moves through the council's
 * stages (naming the investigator for a formal investigation) and is closed with its outcome. The use cases check
 * who may do what per conference and audit every view, change and denial.
 */
import type { FastifyInstance } from 'fastify';
import { detailRoutes } from './detail.ts';
import { listRoutes } from './list.ts';
import { recordRoutes } from './record.ts';
import type { ComplaintPagesOptions } from './shared.ts';

export type { ComplaintPagesOptions };

export async function complaintRoutes(app: FastifyInstance, opts: ComplaintPagesOptions): Promise<void> {
  listRoutes(app, opts);
  recordRoutes(app, opts);
  detailRoutes(app, opts);
}
