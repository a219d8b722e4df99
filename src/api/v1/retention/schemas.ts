/** What the retention API's routes share: who may call them, the shapes they answer with, and how. */
import { z } from 'zod';
import type { HoldRecord, ItemEvidence, ProposalRecord } from '../../../app/retention/ports.ts';
import { type ScheduleView, proposalReference } from '../../../app/retention/retention-service.ts';
import { PROPOSAL_STATES } from '../../../domain/retention/disposal.ts';
import {
  DISPOSABLE_KINDS,
  RECORD_KINDS,
  RETENTION_ROLES,
  SCHEDULE_ROLES,
  TRIGGERS,
} from '../../../domain/retention/schedules.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse } from '../schemas.ts';

export const OFFICERS = { access: [...RETENTION_ROLES] };
export const SETTERS = { access: [...SCHEDULE_ROLES] };
export const TAGS = ['retention and disposal'];
export const readErrors = { 401: errorResponse, 403: errorResponse };
/** Four eyes (the proposer approving) and a proposal no longer waiting are refused with 409 and their code. */
export const RULE_CODES = new Set(['FOUR_EYES', 'CONFLICT']);

export const scheduleSchema = z.object({
  kind: z.enum(RECORD_KINDS),
  name: z.string(),
  trigger: z.enum(TRIGGERS).describe('What the period counts from'),
  years: z.number().int().describe('Whole years after the trigger (from a child’s birth: the youngest child’s age)'),
  minimumYearsAfterConference: z
    .number()
    .int()
    .describe('Counting from a child’s birth: at least this long after the conference'),
  description: z.string(),
  isDefault: z.boolean(),
  version: z.number().int().describe('0 while the default is in use; send it back with a change'),
  updatedAt: z.string().nullable(),
  updatedByName: z.string().nullable(),
});
export const schedulesOut = (views: ScheduleView[]) =>
  views.map((v) => ({
    kind: v.kind,
    name: v.name,
    trigger: v.schedule.trigger,
    years: v.schedule.years,
    minimumYearsAfterConference: v.schedule.minimumYearsAfterConference,
    description: v.description,
    isDefault: v.isDefault,
    version: v.version,
    updatedAt: v.updatedAt?.toISOString() ?? null,
    updatedByName: v.updatedByName,
  }));

export const holdSchema = z.object({
  id: z.string(),
  kind: z.enum(DISPOSABLE_KINDS),
  itemId: z.string(),
  reason: z.string(),
  placedByName: z.string(),
  placedAt: z.string(),
  removedByName: z.string().nullable(),
  removedAt: z.string().nullable(),
  removalReason: z.string().nullable(),
});
export const holdOut = (h: HoldRecord) => ({
  id: h.id,
  kind: h.kind,
  itemId: h.itemId,
  reason: h.reason,
  placedByName: h.placedByName,
  placedAt: h.placedAt.toISOString(),
  removedByName: h.removedByName,
  removedAt: h.removedAt?.toISOString() ?? null,
  removalReason: h.removalReason,
});

export const proposalSchema = z.object({
  id: z.string(),
  reference: z.string().describe('DP-nnnn'),
  state: z.enum(PROPOSAL_STATES),
  note: z.string().nullable(),
  proposedByName: z.string(),
  proposedAt: z.string(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string().nullable(),
  declinedByName: z.string().nullable(),
  declinedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  completedAt: z.string().nullable(),
  itemCount: z.number().int(),
  version: z.number().int().describe('Send it back to approve or decline'),
});
export const proposalOut = (p: ProposalRecord) => ({
  id: p.id,
  reference: proposalReference(p.number),
  state: p.state,
  note: p.note,
  proposedByName: p.proposedByName,
  proposedAt: p.proposedAt.toISOString(),
  approvedByName: p.approvedByName,
  approvedAt: p.approvedAt?.toISOString() ?? null,
  declinedByName: p.declinedByName,
  declinedAt: p.declinedAt?.toISOString() ?? null,
  declineReason: p.declineReason,
  completedAt: p.completedAt?.toISOString() ?? null,
  itemCount: p.itemCount,
  version: p.version,
});

export const fileSchema = z.object({
  what: z.string().describe('original | playback | disclosure-copy | unfinished-ingest'),
  blobSha256: z.string().nullable().describe('SHA-256 of the stored (encrypted) file'),
  contentSha256: z.string().nullable().describe('SHA-256 of the content (the recording’s evidence hash, the MP3 sent)'),
  blobSize: z.number().int(),
});
export const filesOut = (e: ItemEvidence | null) =>
  (e?.files ?? []).map((f) => ({
    what: f.what,
    blobSha256: f.blobSha256,
    contentSha256: f.contentSha256,
    blobSize: f.blobSize,
  }));

export const itemRef = z.object({ kind: z.enum(DISPOSABLE_KINDS), id: idSchema });
