/**
 * A step taken from the request's page (A-4 … A-10): what each step file gives. The step's handler
 * reads its answers from the posted values and calls ONE use case; a problem is thrown (and shown on
 * the step's form by the page) or returned as errors already placed on the step's fields.
 */
import type { RequestContext } from '../../../../app/audit/audit-log.ts';
import type { RequestService } from '../../../../app/requests/request-service.ts';
import type { Actor } from '../../../../domain/access/roles.ts';
import type { FormValues } from '../../../forms/index.ts';
import type { FormError } from '../../../types.ts';

export interface StepPost {
  requests: RequestService;
  actor: Actor;
  id: string;
  /** The version of the request the person saw. */
  version: number;
  /** The step forms' answers (every step form's fields, as posted). */
  values: FormValues;
  /** The raw body, for ticked lists. */
  body: Record<string, unknown>;
  ctx: RequestContext;
}

/** Where the page goes next: the banner to show, or the errors for the step's form. */
export type StepOutcome = { done: string } | { errors: FormError[] };

export type StepHandler = (p: StepPost) => Promise<StepOutcome>;

/** A trimmed answer. */
export const answer = (values: FormValues, key: string) => ((values[key] as string | undefined) ?? '').trim();
