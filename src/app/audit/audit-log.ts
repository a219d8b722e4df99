/** One shape for every audit event: what, who, which record, correlation id, outcome, details. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  action: string;
  actor: { id: string | null; label: string };
  subject?: { type: string; id: string } | undefined;
  /** The HTTP request's correlation id (the `x-request-id` a log line carries), never a record's id. */
  correlationId?: string | undefined;
  outcome: AuditOutcome;
  /** Never personal data beyond ids: the trail is read by auditors, not caseworkers. */
  details?: Record<string, unknown> | undefined;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

/** Who is acting, as the use cases see it. */
export interface RequestContext {
  actor: { id: string | null; label: string };
  /** The HTTP request's correlation id, so an audit entry can be matched to its log lines. */
  correlationId?: string | undefined;
}
