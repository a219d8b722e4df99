import type { IsoDate } from '../calendar/index.ts';
import { ageOn } from '../people/age.ts';
import { DomainError } from '../shared/errors.ts';

export const ATTENDANCE_STATUSES = ['invited', 'attended', 'apologies', 'absent', 'excluded'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  invited: 'Invited',
  attended: 'Attended',
  apologies: 'Sent apologies',
  absent: 'Did not attend',
  excluded: 'Excluded',
};

export type Exclusion = { extent: 'full' | 'partial'; reason: string; howViewsHeard: string };

export interface AttendanceEntry {
  attendeeKey: string;
  status: AttendanceStatus;
  /** Minutes from the part's start; null when present throughout. */
  joinedAt: number | null;
  leftAt: number | null;
  exclusion: Exclusion | null;
}

/** 002 §3.2: an exclusion is recorded with its reason and how the person's views were heard. */
export function validateAttendance(e: AttendanceEntry, partMinutes: number): void {
  if (e.status === 'excluded' || e.exclusion) {
    if (!e.exclusion)
      throw new DomainError('EXCLUSION_DETAILS_REQUIRED', 'Say whether the exclusion was full or partial', 'extent');
    if (!e.exclusion.reason.trim())
      throw new DomainError(
        'EXCLUSION_REASON_REQUIRED',
        'Enter the reason for the exclusion, as given to the person',
        'exclusionReason',
      );
    if (!e.exclusion.howViewsHeard.trim()) {
      throw new DomainError(
        'EXCLUSION_VIEWS_REQUIRED',
        'Enter how the excluded person’s views were heard',
        'howViewsHeard',
      );
    }
    // A partial exclusion leaves the person present for the rest of the part.
    if (e.exclusion.extent === 'full' && e.status !== 'excluded') {
      throw new DomainError(
        'EXCLUSION_STATUS',
        'A person fully excluded cannot also be recorded as attending',
        'status',
      );
    }
    if (e.exclusion.extent === 'partial' && e.status !== 'attended') {
      throw new DomainError(
        'EXCLUSION_STATUS',
        'A person partly excluded attended the rest of the part: record them as attended',
        'status',
      );
    }
  }
  if (e.status !== 'attended' && e.status !== 'excluded' && (e.joinedAt !== null || e.leftAt !== null)) {
    throw new DomainError(
      'TIMES_WITHOUT_ATTENDANCE',
      'Only someone who attended can join late or leave early',
      'joinedAt',
    );
  }
  for (const [field, v] of [
    ['joinedAt', e.joinedAt],
    ['leftAt', e.leftAt],
  ] as const) {
    if (v !== null && (v < 0 || v > partMinutes))
      throw new DomainError('TIME_OUTSIDE_PART', 'The time must be within the conference', field);
  }
  if (e.joinedAt !== null && e.leftAt !== null && e.leftAt <= e.joinedAt) {
    throw new DomainError('LEFT_BEFORE_JOINING', 'The time they left must be after the time they joined', 'leftAt');
  }
}

/** An interval someone was present, in minutes since midnight of the conference day. */
export interface Presence {
  attendeeKey: string;
  label: string;
  start: number;
  end: number;
}

/** "A person in two places at once": the same person present in overlapping parts or conferences. */
export function findDoubleBookings(
  presences: readonly Presence[],
): Array<{ attendeeKey: string; first: string; second: string }> {
  const byPerson = new Map<string, Presence[]>();
  for (const p of presences) byPerson.set(p.attendeeKey, [...(byPerson.get(p.attendeeKey) ?? []), p]);
  const clashes: Array<{ attendeeKey: string; first: string; second: string }> = [];
  for (const [key, list] of byPerson) {
    const sorted = [...list].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (cur.start < prev.end) clashes.push({ attendeeKey: key, first: prev.label, second: cur.label });
    }
  }
  return clashes;
}

/** 002 §3.2: a child of 12 or over is presumed able to attend unless there is a reason not to. */
export const CHILD_ATTENDANCE_AGE = 12;

export function presumedToAttend(
  dateOfBirth: IsoDate | null,
  conferenceDate: IsoDate,
  age = CHILD_ATTENDANCE_AGE,
): boolean {
  return dateOfBirth !== null && ageOn(dateOfBirth, conferenceDate) >= age;
}
