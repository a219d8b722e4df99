/**
 * A recording's name, so that a chair referring a request, business support locating the file
 * and anyone reading a child's record can tell a conference's recordings apart without opening
 * them: "Initial child protection conference, 3 March 2026, part 2: Ava with the chair, recording 2
 * (recorded in the browser)".
 *
 * Design decisions:
 * - The name is derived, never stored: it follows the conference's type, date and parts, so a part
 *   renamed or a date corrected is reflected everywhere at once, and no name can disagree with the facts.
 * - The part is named only when the conference is split (a conference of one part has nothing to tell apart).
 * - "recording N" numbers the recordings of the same part (or of the whole conference) in the order
 *   they were started, and only when there are several: for example a browser recording interrupted
 *   and started again, or a Teams file and a dictaphone file of the same meeting. Recordings that were
 *   not stored take no number, so the stored ones a referral offers are numbered 1, 2, … with no gaps.
 * - The chair's dictation is of the whole conference, so it has no part.
 * - A short label the chair gave (for example "after the fire alarm") follows, then where it was made
 *   in brackets.
 */
import { formatLongDate, type IsoDate } from '../calendar/index.ts';
import { CONFERENCE_TYPE_LABELS, type ConferenceType } from '../conferences/decisions.ts';
import { controlCharacterMessage, hasControlCharacter } from '../shared/text.ts';
import type { RecordingKind, RecordingSource, RecordingStatus } from './recording.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

/** where a recording was made, as the end of its name. */
export const RECORDING_SOURCE_NAME_LABELS: Record<RecordingSource, string> = {
  browser: 'recorded in the browser',
  teams: 'Microsoft Teams recording',
  dictaphone: 'dictaphone or room recorder',
  other: 'uploaded from another device',
};

export interface NamingConference {
  type: ConferenceType;
  scheduledDate: IsoDate | string;
}

export interface NamingPart {
  id: string;
  ordinal: number;
  label: string;
}

/** The longest label a chair may give a recording. */
export const RECORDING_LABEL_MAX = 80;

export interface NamingRecording {
  id: string;
  label?: string | null;
  kind: RecordingKind;
  source: RecordingSource;
  status: RecordingStatus;
  conferencePartId: string | null;
  startedAt: Date;
}

/**
 * The chair's short label, on one line with spaces tidied; blank takes the label away (null).
 * Throws InvalidDetailsError on the `label` field.
 */
export function validateRecordingLabel(input: string | null | undefined): string | null {
  const raw = input ?? '';
  if (hasControlCharacter(raw.replace(/\r?\n/g, ' ')))
    throw new InvalidDetailsError([{ field: 'label', message: controlCharacterMessage('The label') }]);
  const label = raw.replace(/\s+/g, ' ').trim();
  if (!label) return null;
  if (label.length > RECORDING_LABEL_MAX)
    throw new InvalidDetailsError([
      { field: 'label', message: `The label must be ${RECORDING_LABEL_MAX} characters or fewer` },
    ]);
  return label;
}

/** "part 2" for a part labelled "Part 2", "part 2: Ava with the chair" for "Part 2: Ava with the chair" or "Ava with the chair". */
function partName(part: NamingPart): string {
  const label = part.label.trim();
  const numbered = new RegExp(`^part\\s+${part.ordinal}\\b[\\s:,.–-]*`, 'i');
  const rest = label.replace(numbered, '').trim();
  return rest ? `part ${part.ordinal}: ${rest}` : `part ${part.ordinal}`;
}

/** The name of every recording of one conference, by recording id. */
export function nameRecordings(
  conference: NamingConference,
  parts: readonly NamingPart[],
  recordings: readonly NamingRecording[],
): Map<string, string> {
  const split = parts.length > 1;
  const partById = new Map(parts.map((p) => [p.id, p]));
  const groupOf = (r: NamingRecording) =>
    r.kind === 'dictation' ? 'dictation' : `meeting:${split ? (r.conferencePartId ?? '') : ''}`;
  const ordered = [...recordings].sort(
    (a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id),
  );
  const counted = ordered.filter((r) => r.status !== 'rejected');
  const groupSize = new Map<string, number>();
  for (const r of counted) groupSize.set(groupOf(r), (groupSize.get(groupOf(r)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  for (const r of ordered) {
    const group = groupOf(r);
    const pieces = [CONFERENCE_TYPE_LABELS[conference.type], formatLongDate(conference.scheduledDate as IsoDate)];
    if (r.kind === 'dictation') pieces.push('chair’s dictation');
    else if (split) {
      const part = r.conferencePartId ? partById.get(r.conferencePartId) : undefined;
      pieces.push(part ? partName(part) : 'whole conference');
    }
    if (r.status !== 'rejected') {
      const n = (seen.get(group) ?? 0) + 1;
      seen.set(group, n);
      if ((groupSize.get(group) ?? 0) > 1) pieces.push(`recording ${n}`);
    }
    if (r.label) pieces.push(r.label);
    names.set(r.id, `${pieces.join(', ')} (${RECORDING_SOURCE_NAME_LABELS[r.source]})`);
  }
  return names;
}
