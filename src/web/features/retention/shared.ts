/**
 * What the retention pages share: who may open them, the base path, the query each list reads and the
 * messages shown after a change.
 */
import { z } from 'zod';
import type { RetentionService } from '../../../app/retention/retention-service.ts';
import { DISPOSABLE_KINDS, RETENTION_ROLES, SCHEDULE_ROLES } from '../../../domain/retention/schedules.ts';
import { idSchema } from '../../forms/index.ts';

export interface RetentionPagesOptions {
  retention: RetentionService;
}

export const OFFICERS = { access: [...RETENTION_ROLES] };
export const SETTERS = { access: [...SCHEDULE_ROLES] };
export const BASE = '/admin/retention';

export const reviewQuery = z.object({
  kind: z.enum(DISPOSABLE_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  done: z.string().max(40).optional(),
});
export const holdQuery = z.object({ kind: z.enum(DISPOSABLE_KINDS), id: idSchema });

export const DONE: Record<string, string> = {
  proposed: 'Your proposal has been saved. A second person must now approve it before anything is destroyed.',
  approved:
    'You approved the destruction. The records are being destroyed; the certificate appears when it has finished.',
  declined: 'The proposal has been declined. Its records are kept and may be proposed again.',
  'hold-placed': 'The legal hold has been placed. The record will not be offered for destruction while it is held.',
  'hold-removed': 'The legal hold has been removed.',
};
