/**
 * The written record of a conference (W-1 … W-4, T-6, T-7, R-6), under /conferences/:id/documents: the
 * documents it needs with their states and due dates, each draft with its sections, the chair's comments and
 * the recordings beside it, what is left out of the family's copies, who receives a copy and why (W-4), the chair's review
 * and approval, issuing, and the issued copies to download. One page per file; every form works without
 * JavaScript (autosave is an addition); the use cases check who may do what, per conference, and audit it.
 */
import type { FastifyInstance } from 'fastify';
import { autosaveRoutes } from './autosave.ts';
import { distributionRoutes } from './distribution.ts';
import { downloadRoutes } from './download.ts';
import { draftRoutes } from './draft.ts';
import { listRoutes } from './list.ts';
import { recipientsRoutes } from './recipients.ts';
import { sendingRoutes } from './sending.ts';
import { sendingEmailRoutes } from './sending-email.ts';
import { sendingPostedRoutes } from './sending-posted.ts';
import { sendingPrintRoutes } from './sending-print.ts';
import { sendingRedistributeRoutes } from './sending-redistribute.ts';
import { sendingSecureLinkRoutes } from './sending-secure-link.ts';
import { sentCopyRoutes } from './sending-sent.ts';
import { reviewRoutes } from './review.ts';
import type { DocumentPagesOptions } from './shared.ts';
import { withholdingRoutes } from './withholding.ts';

export type { DocumentPagesOptions };

export async function documentRoutes(app: FastifyInstance, opts: DocumentPagesOptions): Promise<void> {
  listRoutes(app, opts);
  downloadRoutes(app, opts);
  draftRoutes(app, opts);
  autosaveRoutes(app, opts);
  reviewRoutes(app, opts);
  withholdingRoutes(app, opts);
  recipientsRoutes(app, opts);
  distributionRoutes(app, opts);
  sendingRoutes(app, opts);
  sendingPostedRoutes(app, opts);
  sendingEmailRoutes(app, opts);
  sendingSecureLinkRoutes(app, opts);
  sendingRedistributeRoutes(app, opts);
  sendingPrintRoutes(app, opts);
  sentCopyRoutes(app, opts);
}
