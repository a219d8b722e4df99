import { describe, expect, it } from 'vitest';
import { nameRecordings, type NamingRecording, validateRecordingLabel } from './naming.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 3, 10, minute));
const rec = (id: string, over: Partial<NamingRecording> = {}): NamingRecording => ({
  id,
  kind: 'meeting',
  source: 'browser',
  status: 'stored',
  conferencePartId: null,
  startedAt: at(Number(id.replace(/\D/g, '')) || 0),
  ...over,
});

describe('recording names a referral can tell apart (A-3, A-4, R-5, R-6)', () => {
  const initial = { type: 'initial' as const, scheduledDate: '2026-03-03' };

  it('names the only recording of a conference of one part by its type, date and where it was made', () => {
    const names = nameRecordings(
      initial,
      [{ id: 'p1', ordinal: 1, label: 'Part 1' }],
      [rec('r1', { conferencePartId: 'p1' })],
    );
    expect(names.get('r1')).toBe('Initial child protection conference, 3 March 2026 (recorded in the browser)');
  });

  it('names the part of a split conference, numbering several recordings of the same part in the order they were started', () => {
    const parts = [
      { id: 'p1', ordinal: 1, label: 'Part 1' },
      { id: 'p2', ordinal: 2, label: 'Part 2: Ava with the chair' },
      { id: 'p3', ordinal: 3, label: 'Father alone' },
    ];
    const names = nameRecordings({ type: 'review', scheduledDate: '2026-03-03' }, parts, [
      rec('r3', { conferencePartId: 'p1', source: 'teams' }),
      rec('r1', { conferencePartId: 'p1' }),
      rec('r4', { conferencePartId: 'p2', source: 'dictaphone' }),
      rec('r5', { conferencePartId: 'p3', source: 'other' }),
    ]);
    expect(names.get('r1')).toBe(
      'Review child protection conference, 3 March 2026, part 1, recording 1 (recorded in the browser)',
    );
    expect(names.get('r3')).toBe(
      'Review child protection conference, 3 March 2026, part 1, recording 2 (Microsoft Teams recording)',
    );
    expect(names.get('r4')).toBe(
      'Review child protection conference, 3 March 2026, part 2: Ava with the chair (dictaphone or room recorder)',
    );
    expect(names.get('r5')).toBe(
      'Review child protection conference, 3 March 2026, part 3: Father alone (uploaded from another device)',
    );
  });

  it('R-6: names the chair’s dictation apart from the meeting; recordings not stored take no number', () => {
    const names = nameRecordings(
      initial,
      [{ id: 'p1', ordinal: 1, label: 'Part 1' }],
      [rec('r1', { status: 'rejected' }), rec('r2'), rec('r3', { kind: 'dictation' })],
    );
    expect(names.get('r2')).toBe('Initial child protection conference, 3 March 2026 (recorded in the browser)');
    expect(names.get('r1')).toBe('Initial child protection conference, 3 March 2026 (recorded in the browser)');
    expect(names.get('r3')).toBe(
      'Initial child protection conference, 3 March 2026, chair’s dictation (recorded in the browser)',
    );
  });

  it('adds the chair’s short label before where it was made; a label is one tidy line of at most 80 characters', () => {
    const names = nameRecordings(
      initial,
      [{ id: 'p1', ordinal: 1, label: 'Part 1' }],
      [rec('r1', { label: 'after the fire alarm' })],
    );
    expect(names.get('r1')).toBe(
      'Initial child protection conference, 3 March 2026, after the fire alarm (recorded in the browser)',
    );
    expect(validateRecordingLabel('  after the\r\n fire   alarm ')).toBe('after the fire alarm');
    expect(validateRecordingLabel('   ')).toBeNull();
    expect(validateRecordingLabel('x'.repeat(80))).toHaveLength(80);
    expect(() => validateRecordingLabel('x'.repeat(81))).toThrow(InvalidDetailsError);
    expect(() => validateRecordingLabel('fire\u0000alarm')).toThrow(/control characters/);
  });
});
