/**
 * A stored CopyRequest (the `data` column) read back from JSON with Zod: its states, actions and times are
 * checked, and every time written as an ISO string comes back as a Date. The parts the domain writes whole and
 * this layer only carries (the requester, the referral, the verification's findings) keep the domain's types
 * after a check of their kind. A field missing from an older row reads as null, as it always has.
 */
import { z } from 'zod';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import {
  type CopyRequest,
  INELIGIBILITY_CODES,
  NOTIFIED_PARTIES,
  REQUEST_ACTIONS,
  REQUEST_STATES,
  type Referral,
  type Requester,
  type VerificationFailure,
  type VerificationMismatch,
} from '../../../domain/requests/index.ts';

const time = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'Unexpected time in a stored copy request' });
    return z.NEVER;
  }
  return d;
});
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isoDate = z.custom<IsoDate>((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v));
/** Absent in an older row, or null: null. */
const orNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

const copyRequestSchema = z.object({
  state: z.enum(REQUEST_STATES),
  conferenceId: z.string(),
  requester: z.custom<Requester>((v) => isObject(v) && typeof (v as { type?: unknown }).type === 'string'),
  receivedOn: isoDate,
  chairId: orNull(z.string()),
  childrenCovered: z.array(z.string()),
  childrenWithoutPr: z.array(z.string()),
  referral: orNull(z.custom<Referral>(isObject)),
  queriesNote: orNull(z.string()),
  recordingCheck: orNull(z.object({ partsListened: z.string(), by: z.string(), at: time })),
  verification: z.object({
    requestedAt: orNull(time),
    verifiedAt: orNull(time),
    failures: z.number().int().min(0),
    lastFailure: orNull(
      z.object({
        failures: z.array(z.custom<VerificationFailure>((v) => typeof v === 'string')),
        mismatches: z.array(z.custom<VerificationMismatch>(isObject)),
        staffMessages: z.array(z.string()),
        at: time,
      }),
    ),
  }),
  copy: orNull(z.object({ copyId: z.string(), preparedBy: z.string(), preparedAt: time })),
  approval: orNull(z.object({ approvedBy: z.string(), approvedAt: time })),
  delivery: orNull(z.object({ deliveryId: z.string(), sentBy: z.string(), sentAt: time })),
  notifications: orNull(
    z.object({ notified: z.array(z.enum(NOTIFIED_PARTIES)), caseNoteChildIds: z.array(z.string()), at: time }),
  ),
  extension: orNull(z.object({ reason: z.string(), toldOn: isoDate, recordedBy: z.string(), recordedAt: time })),
  outcome: orNull(
    z.object({
      kind: z.enum(['refused', 'withdrawn']),
      reason: z.string(),
      code: orNull(z.enum(INELIGIBILITY_CODES)),
      by: z.string(),
      at: time,
    }),
  ),
  history: z.array(
    z.object({ action: z.enum(REQUEST_ACTIONS), state: z.enum(REQUEST_STATES), at: time, actorId: z.string() }),
  ),
});

/** A stored CopyRequest back from JSON (times as Dates); throws on a row that is not one. */
export function copyRequestFromJson(j: unknown): CopyRequest {
  return copyRequestSchema.parse(j);
}

/** JSON for the `data` column (Dates become ISO strings). */
export function copyRequestToJson(r: CopyRequest): Record<string, unknown> {
  return z.record(z.string(), z.unknown()).parse(JSON.parse(JSON.stringify(r)));
}
