import { DomainError } from '../shared/errors.ts';

/**
 * the copy is delivered securely. In place of secure email the service emails the requester a
 * link to a download page; the page sends a one-time code to the verified address before anything is
 * released, reminds them the recording is confidential, and lets each file be downloaded a few times
 * while the link lasts. These are the pure rules; hashing, constant-time comparison and storage are the
 * application's and infrastructure's.
 */

export interface DeliverySettings {
  /** How long the emailed link works (A-6; a council setting, default 14 days). */
  linkLifetimeDays: number;
  /** How many times each file may be downloaded through one link. */
  downloadsPerFile: number;
  /** How long a one-time code works. */
  codeLifetimeMs: number;
  /** Wrong entries a code survives: at the last one it is void and a new code must be asked for. */
  maxWrongCodes: number;
  /** Codes that may be sent for one delivery within `codeWindowMs`. */
  maxCodesPerWindow: number;
  codeWindowMs: number;
  /** How long a correct code lets the requester download before they need a new one. */
  grantLifetimeMs: number;
  /**
   * How long one download window lasts: pressing Download (with a correct code) opens a window for that file in
   * which the file may be fetched again or resumed from any byte (HTTP Range) without using another download. At
   * least `grantLifetimeMs`, so a window never ends before the code's grant that opened it.
   */
  downloadWindowMs: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  linkLifetimeDays: 14,
  downloadsPerFile: 3,
  codeLifetimeMs: 10 * 60_000,
  maxWrongCodes: 5,
  maxCodesPerWindow: 5,
  codeWindowMs: 60 * 60_000,
  grantLifetimeMs: 30 * 60_000,
  downloadWindowMs: 2 * 60 * 60_000,
};

export const DELIVERY_LIMITS = {
  linkLifetimeDays: { min: 1, max: 90 },
  downloadsPerFile: { min: 1, max: 20 },
} as const;

export const CODE_LENGTH = 6;

export type DeliveryErrorCode =
  /** The delivery's link has passed its expiry. */
  | 'DELIVERY_EXPIRED'
  /** Staff revoked the link. */
  | 'DELIVERY_REVOKED'
  /** Every file has been downloaded as many times as allowed. */
  | 'DELIVERY_USED_UP'
  /** This file has been downloaded as many times as allowed. */
  | 'DOWNLOAD_LIMIT_REACHED'
  /** Too many codes were sent for this delivery recently. */
  | 'TOO_MANY_CODES'
  /** The request is not at the step where a copy can be delivered, or the copy or address is not the request's. */
  | 'DELIVERY_NOT_ALLOWED'
  /** A revocation needs its reason, and cannot be undone. */
  | 'INVALID_REVOCATION';

export class DeliveryError extends DomainError {
  declare readonly code: DeliveryErrorCode;
  constructor(code: DeliveryErrorCode, message: string, field?: string) {
    super(code, message, field);
    this.name = 'DeliveryError';
  }
}

/** Checks configured settings: a link of 1 to 90 days, 1 to 20 downloads per file. */
export function deliverySettings(over: Partial<DeliverySettings> = {}): DeliverySettings {
  const s = { ...DEFAULT_DELIVERY_SETTINGS, ...over };
  const L = DELIVERY_LIMITS;
  if (
    !Number.isInteger(s.linkLifetimeDays) ||
    s.linkLifetimeDays < L.linkLifetimeDays.min ||
    s.linkLifetimeDays > L.linkLifetimeDays.max
  ) {
    throw new RangeError(
      `A delivery link must last between ${L.linkLifetimeDays.min} and ${L.linkLifetimeDays.max} days`,
    );
  }
  if (
    !Number.isInteger(s.downloadsPerFile) ||
    s.downloadsPerFile < L.downloadsPerFile.min ||
    s.downloadsPerFile > L.downloadsPerFile.max
  ) {
    throw new RangeError(`Downloads per file must be between ${L.downloadsPerFile.min} and ${L.downloadsPerFile.max}`);
  }
  if (!Number.isInteger(s.downloadWindowMs) || s.downloadWindowMs < s.grantLifetimeMs)
    throw new RangeError('A download window must last at least as long as the grant a code gives');
  return s;
}

/** The moment the link stops working: `linkLifetimeDays` whole days of 24 hours after it was made. */
export function linkExpiry(createdAt: Date, settings: Pick<DeliverySettings, 'linkLifetimeDays'>): Date {
  return new Date(createdAt.getTime() + settings.linkLifetimeDays * 24 * 3_600_000);
}

export type DeliveryState = 'active' | 'expired' | 'revoked' | 'used-up';

export interface DeliveryFacts {
  expiresAt: Date;
  revokedAt: Date | null;
  downloadLimit: number;
  /** Downloads so far of each file of the copy (every file listed, 0 when never downloaded). */
  downloadsByFile: ReadonlyArray<{ fileId: string; downloads: number }>;
}

/**
 * Revocation wins over everything (staff decided), then expiry, then a link whose every file has been
 * downloaded as often as allowed. A copy with no files is never "used up": there is nothing to release.
 */
export function deliveryState(d: DeliveryFacts, now: Date): DeliveryState {
  if (d.revokedAt) return 'revoked';
  if (now.getTime() >= d.expiresAt.getTime()) return 'expired';
  if (d.downloadsByFile.length > 0 && d.downloadsByFile.every((f) => f.downloads >= d.downloadLimit)) return 'used-up';
  return 'active';
}

/** Throws the DeliveryError that matches a state other than active. */
export function assertActive(state: DeliveryState): void {
  if (state === 'revoked') throw new DeliveryError('DELIVERY_REVOKED', 'This link has been cancelled');
  if (state === 'expired') throw new DeliveryError('DELIVERY_EXPIRED', 'This link has expired');
  if (state === 'used-up')
    throw new DeliveryError('DELIVERY_USED_UP', 'Every file has been downloaded as many times as allowed');
}

/** Downloads left of one file. */
export function downloadsLeft(downloads: number, limit: number): number {
  return Math.max(0, limit - downloads);
}

export function assertDownloadAllowed(downloads: number, limit: number): void {
  if (downloads >= limit)
    throw new DeliveryError(
      'DOWNLOAD_LIMIT_REACHED',
      `This file has already been downloaded ${limit} ${limit === 1 ? 'time' : 'times'}, which is the limit`,
    );
}

export interface CodeFacts {
  issuedAt: Date;
  expiresAt: Date;
  wrongAttempts: number;
  usedAt: Date | null;
  voidedAt: Date | null;
}

export type CodeState = 'usable' | 'expired' | 'used' | 'void';

export function codeState(c: CodeFacts, now: Date): CodeState {
  if (c.usedAt) return 'used';
  if (c.voidedAt) return 'void';
  if (now.getTime() >= c.expiresAt.getTime()) return 'expired';
  return 'usable';
}

export function codeExpiry(issuedAt: Date, settings: Pick<DeliverySettings, 'codeLifetimeMs'>): Date {
  return new Date(issuedAt.getTime() + settings.codeLifetimeMs);
}

/**
 * A wrong entry: the count goes up and, at `maxWrongCodes`, the code is void (a new one must be asked
 * for). `remaining` is how many more tries this code allows.
 */
export function afterWrongCode(
  wrongAttempts: number,
  settings: Pick<DeliverySettings, 'maxWrongCodes'>,
): { wrongAttempts: number; void: boolean; remaining: number } {
  const n = wrongAttempts + 1;
  return { wrongAttempts: n, void: n >= settings.maxWrongCodes, remaining: Math.max(0, settings.maxWrongCodes - n) };
}

/**
 * At most `maxCodesPerWindow` codes per delivery in any `codeWindowMs`: given when the recent codes were
 * sent, whether another may be sent now and, if not, when one may.
 */
export function codeIssueAllowed(
  issuedAt: readonly Date[],
  now: Date,
  settings: Pick<DeliverySettings, 'maxCodesPerWindow' | 'codeWindowMs'>,
): { allowed: true } | { allowed: false; retryAt: Date } {
  const windowStart = now.getTime() - settings.codeWindowMs;
  const recent = issuedAt
    .map((d) => d.getTime())
    .filter((t) => t > windowStart)
    .sort((a, b) => a - b);
  if (recent.length < settings.maxCodesPerWindow) return { allowed: true };
  // The oldest code that keeps the count at the limit leaves the window first.
  const oldest = recent[recent.length - settings.maxCodesPerWindow]!;
  return { allowed: false, retryAt: new Date(oldest + settings.codeWindowMs) };
}

/**
 * What the requester typed, as the code it may be: spaces and hyphens are ignored (people copy
 * "482 915"). Null when it is not six digits, so the caller can say so without spending a try.
 */
export function normaliseCode(input: string): string | null {
  const s = input.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${CODE_LENGTH}}$`).test(s) ? s : null;
}

/** Plain-English duration for emails and pages ("10 minutes", "1 hour"). */
export function minutesText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 === 0) {
    const h = minutes / 60;
    return `${h} ${h === 1 ? 'hour' : 'hours'}`;
  }
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

export const REVOKE_REASON_MAX = 500;

export function revocationReason(input: string | null | undefined): string {
  const reason = (input ?? '').trim();
  if (!reason) throw new DeliveryError('INVALID_REVOCATION', 'Enter why the link is being cancelled', 'reason');
  if (reason.length > REVOKE_REASON_MAX)
    throw new DeliveryError(
      'INVALID_REVOCATION',
      `The reason must be ${REVOKE_REASON_MAX} characters or fewer`,
      'reason',
    );
  return reason;
}
