/**
 * The council's local policy settings (003), chosen by an administrator. Each setting's default is the service's
 * behaviour before the council chose anything:
 * - What goes out after a conference: the full record (every document to everyone on its list), or decisions and
 *   recommendations only, as Newcastle's pilot did: the decision letter, the plan and core group letter and the
 *   chair's summary go out; the conference record is kept on the children's file and issued only as the file copy.
 * - Whether a copy of a recording may be given to the family at all: a child or a person with parental
 *   responsibility asking under a policy of no copies is refused with the council's own reason. Courts, another
 *   local authority, the complaints and information service and the quality assurance service (the statutory
 *   routes) are not affected.
 * Pure: no I/O.
 */
import type { Actor } from '../access/roles.ts';
import type { DocumentKind } from '../documents/model.ts';
import { AccessDeniedError, ProblemList } from '../shared/errors.ts';

export const COUNCIL_SETTING_KEYS = ['document-distribution', 'recording-copies'] as const;
export type CouncilSettingKey = (typeof COUNCIL_SETTING_KEYS)[number];

export function isCouncilSettingKey(v: unknown): v is CouncilSettingKey {
  return typeof v === 'string' && (COUNCIL_SETTING_KEYS as readonly string[]).includes(v);
}

export const DOCUMENT_DISTRIBUTIONS = ['full-record', 'decisions-only'] as const;
export type DocumentDistribution = (typeof DOCUMENT_DISTRIBUTIONS)[number];

export const DOCUMENT_DISTRIBUTION_LABELS: Readonly<Record<DocumentDistribution, string>> = {
  'full-record': 'The full record',
  'decisions-only': 'Decisions and recommendations only',
};

export const DOCUMENT_DISTRIBUTION_HINTS: Readonly<Record<DocumentDistribution, string>> = {
  'full-record':
    'Every document goes to the family and the agencies, the conference record included. This is the default.',
  'decisions-only':
    'The decision letter, the child protection plan and core group letter and the chair’s summary go out. The conference record is kept on the children’s file and issued only as the file copy.',
};

/** The value of each setting. */
export interface CouncilSettingValues {
  'document-distribution': { distribution: DocumentDistribution };
  'recording-copies': {
    /** Whether a child or a person with parental responsibility may be given a copy of a recording. */
    familyCopies: boolean;
    /** The council's reason, given to anyone refused under this policy; null while copies are allowed. */
    reason: string | null;
  };
}

export type CouncilSettings = { [K in CouncilSettingKey]: CouncilSettingValues[K] };

/** Today's behaviour: what every council has until an administrator chooses otherwise. */
export const DEFAULT_COUNCIL_SETTINGS: CouncilSettings = {
  'document-distribution': { distribution: 'full-record' },
  'recording-copies': { familyCopies: true, reason: null },
};

export const COUNCIL_SETTING_NAMES: Readonly<Record<CouncilSettingKey, string>> = {
  'document-distribution': 'What is sent after a conference',
  'recording-copies': 'Copies of recordings for the family',
};

export const REFUSAL_REASON_MAX = 2000;

/** Only an administrator changes the council's settings. */
export function requireSettingsAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin'))
    throw new AccessDeniedError('Only an administrator can change the council’s settings');
}

/**
 * Checks a new value from a form or the API; every problem at once (InvalidDetailsError). The council's reason is
 * needed when family copies are not allowed, and is not kept when they are.
 */
export function validateSetting<K extends CouncilSettingKey>(key: K, input: unknown): CouncilSettingValues[K] {
  const p = new ProblemList();
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if (key === 'document-distribution') {
    const distribution = raw['distribution'];
    if (typeof distribution !== 'string' || !(DOCUMENT_DISTRIBUTIONS as readonly string[]).includes(distribution))
      p.add('distribution', 'Select what is sent after a conference');
    p.throwIfAny();
    return { distribution } as CouncilSettingValues[K];
  }
  const familyCopies = raw['familyCopies'];
  if (typeof familyCopies !== 'boolean')
    p.add('familyCopies', 'Select whether the family may be given a copy of a recording');
  const reason = typeof raw['reason'] === 'string' ? raw['reason'].trim() : '';
  if (familyCopies === false) {
    if (!reason) p.add('reason', 'Enter the council’s reason, which is given to anyone refused a copy');
    else if (reason.length > REFUSAL_REASON_MAX)
      p.add('reason', `The reason must be ${REFUSAL_REASON_MAX.toLocaleString('en-GB')} characters or fewer`);
  }
  p.throwIfAny();
  return { familyCopies, reason: familyCopies ? null : reason } as CouncilSettingValues[K];
}

/** A stored value read back: anything unreadable is the default (today's behaviour). */
export function readSetting<K extends CouncilSettingKey>(key: K, stored: unknown): CouncilSettingValues[K] {
  try {
    return validateSetting(key, stored);
  } catch {
    return DEFAULT_COUNCIL_SETTINGS[key];
  }
}

/** One line for a setting's value, for the audit trail and the settings page. */
export function describeSetting<K extends CouncilSettingKey>(key: K, value: CouncilSettingValues[K]): string {
  if (key === 'document-distribution') {
    return DOCUMENT_DISTRIBUTION_LABELS[(value as CouncilSettingValues['document-distribution']).distribution];
  }
  const v = value as CouncilSettingValues['recording-copies'];
  return v.familyCopies ? 'The family may be given copies' : `The family is not given copies: ${v.reason ?? ''}`;
}

/** Whether this document goes to the family and the agencies, or is kept on the children's file only (003). */
export function keptOnFileOnly(kind: DocumentKind, settings: Pick<CouncilSettings, 'document-distribution'>): boolean {
  return kind === 'conference-record' && settings['document-distribution'].distribution === 'decisions-only';
}

/**
 * The council's reason for refusing the family a copy of a recording (A-1, 003), or null when its policy allows
 * copies. `assessEligibility` refuses only a family requester (a child or a person with parental responsibility)
 * with it; courts, another local authority and the council's own services are never refused by it.
 */
export function familyCopiesRefusedReason(settings: Pick<CouncilSettings, 'recording-copies'>): string | null {
  const policy = settings['recording-copies'];
  return policy.familyCopies ? null : policy.reason;
}
