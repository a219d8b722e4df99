/**
 * The written record for integrations (W-1 … W-4, T-6, T-7, R-6): the same use cases, access rules and audit
 * trail as the pages, one group of routes per file under documents/: the documents and their drafts, the
 * chair's comments and approval, issuing and downloading the issued copies, and the arrangement tasks.
 * Responses are allow-lists: only the fields named there leave the server (never an issued copy's blob key).
 */
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from './index.ts';
import { draftChangesApi } from './documents/draft-changes.ts';
import { draftsApi } from './documents/drafts.ts';
import { documentsListApi } from './documents/list.ts';
import { distributionApi } from './documents/distribution.ts';
import { issuingApi } from './documents/issuing.ts';
import { reviewApi } from './documents/review.ts';
import { sendingApi } from './documents/sending.ts';
import { sendingCopiesApi } from './documents/sending-copies.ts';
import { redistributionApi } from './documents/sending-redistribute.ts';
import { secureLinksApi } from './documents/sending-secure-links.ts';
import { sentCopyApi } from './documents/sending-sent.ts';
import { tasksApi } from './documents/tasks.ts';

export async function documentsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const { documents } = services;
  documentsListApi(app, documents);
  draftsApi(app, documents);
  draftChangesApi(app, documents);
  reviewApi(app, documents);
  issuingApi(app, documents);
  tasksApi(app, documents);
  sendingApi(app, services.documentSending);
  sendingCopiesApi(app, services.documentSending);
  secureLinksApi(app, services.documentSending);
  redistributionApi(app, services.documentSending);
  sentCopyApi(app, services.documentSending);
  distributionApi(app, documents);
}
