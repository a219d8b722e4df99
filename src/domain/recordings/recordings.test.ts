import { describe, expect, it } from 'vitest';
import {
  assertRecordingMove,
  canMoveRecording,
  fixityDue,
  formatDuration,
  judgeChunk,
  type LiveSession,
  liveStateOf,
  mergeRanges,
  parseOffset,
  pauseLive,
  RecordingStateError,
  resumeLive,
  segmentsWithheldFrom,
  statementText,
  stopLive,
  validateBookmark,
  validateStatement,
  validateWithheldSegment,
} from './index.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

function problems(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidDetailsError) return Object.fromEntries(err.problems.map((p) => [p.field, p.message]));
    throw err;
  }
  throw new Error('expected InvalidDetailsError');
}

describe('recording states (R-3: a stored original never changes)', () => {
  it('moves receiving → processing → stored, or to rejected', () => {
    expect(canMoveRecording('receiving', 'processing')).toBe(true);
    expect(canMoveRecording('processing', 'stored')).toBe(true);
    expect(canMoveRecording('processing', 'rejected')).toBe(true);
    expect(canMoveRecording('receiving', 'rejected')).toBe(true);
  });
  it('never leaves stored or rejected, and never skips processing', () => {
    expect(canMoveRecording('receiving', 'stored')).toBe(false);
    expect(() => assertRecordingMove('stored', 'processing')).toThrow(/already stored and cannot change/);
    expect(() => assertRecordingMove('rejected', 'receiving')).toThrow(RecordingStateError);
    expect(() => assertRecordingMove('receiving', 'stored')).toThrow(/receiving audio cannot become stored/);
  });
});

describe('live recording with breaks (R-2: each break with its reason and participant changes)', () => {
  const t = (min: number) => new Date(Date.UTC(2026, 10, 23, 10, min));
  const fresh: LiveSession = { state: 'recording', breaks: [] };

  it('pauses with a reason, resumes with changes, and stops', () => {
    let s = pauseLive(fresh, { atMs: 60_000, at: t(10), reason: ' Comfort break ' });
    expect(s.state).toBe('paused');
    expect(liveStateOf(s, false)).toBe('paused');
    s = resumeLive(s, { at: t(20), participantChanges: 'Father left' });
    expect(s.state).toBe('recording');
    expect(s.breaks).toEqual([
      { atMs: 60_000, startedAt: t(10), endedAt: t(20), reason: 'Comfort break', participantChanges: 'Father left' },
    ]);
    s = stopLive(s, t(40));
    expect(s.state).toBe('stopped');
  });
  it('asks for the reason, and refuses a pause while paused or a break going back in time', () => {
    expect(() => pauseLive(fresh, { atMs: 1, at: t(1), reason: '  ' })).toThrow(/reason for the break/);
    const paused = pauseLive(fresh, { atMs: 10_000, at: t(1), reason: 'x' });
    expect(() => pauseLive(paused, { atMs: 20_000, at: t(2), reason: 'y' })).toThrow(/already paused/);
    const resumed = resumeLive(paused, { at: t(2), participantChanges: null });
    expect(() => pauseLive(resumed, { atMs: 5_000, at: t(3), reason: 'y' })).toThrow(/after the last one/);
    expect(() => resumeLive(resumed, { at: t(3), participantChanges: null })).toThrow(/not paused/);
  });
  it('stopping while paused closes the break', () => {
    const paused = pauseLive(fresh, { atMs: 10_000, at: t(1), reason: 'x' });
    expect(stopLive(paused, t(5)).breaks[0]!.endedAt).toEqual(t(5));
    expect(() => stopLive({ state: 'stopped', breaks: [] }, t(6))).toThrow(/already stopped/);
  });
});

describe('chunks of a live recording', () => {
  it('appends the next chunk, accepts an identical resend, refuses a changed one or a gap', () => {
    expect(judgeChunk(3, 3, 'aa', null)).toEqual({ kind: 'append' });
    expect(judgeChunk(3, 2, 'bb', 'bb')).toEqual({ kind: 'duplicate' });
    expect(() => judgeChunk(3, 2, 'cc', 'bb')).toThrow(/different content/);
    expect(judgeChunk(3, 5, 'dd', null)).toEqual({ kind: 'gap', expected: 3 });
  });
});

describe('fixity cycle', () => {
  const stored = new Date('2026-01-01T00:00:00Z');
  it('is due a full cycle after the last check, or after storing when never checked', () => {
    expect(fixityDue(null, stored, 90, new Date('2026-03-31T23:59:59Z'))).toBe(false);
    expect(fixityDue(null, stored, 90, new Date('2026-04-01T00:00:00Z'))).toBe(true);
    expect(fixityDue(new Date('2026-03-31T00:00:00Z'), stored, 90, new Date('2026-04-01T00:00:00Z'))).toBe(false);
  });
});

describe('offsets', () => {
  it('reads and writes times in a recording', () => {
    expect(parseOffset('1:02:05')).toBe(3_725_000);
    expect(parseOffset('62:05')).toBe(3_725_000);
    expect(parseOffset('5.25')).toBe(5_250);
    expect(parseOffset('1:60')).toBeNull();
    expect(parseOffset('ten')).toBeNull();
    expect(parseOffset('')).toBeNull();
    expect(formatDuration(3_725_999)).toBe('1:02:05');
    expect(formatDuration(65_000)).toBe('1:05');
  });
});

describe('explanatory statement (R-2)', () => {
  const good = {
    location: 'Room 3, County Hall, and Microsoft Teams',
    recordedOn: '2026-11-23',
    startedAt: '10:00',
    endedAt: '11:45',
    context: 'Initial child protection conference for two brothers',
    speakers: [
      { name: 'Sam Chair', role: 'Conference chair' },
      { name: '', role: '' },
    ],
    breaks: [
      { startedAt: '10:50', endedAt: '11.05', reason: 'Comfort break', participantChanges: 'Mother’s advocate left' },
    ],
  };
  it('accepts a complete statement, normalising times and ignoring blank rows', () => {
    const s = validateStatement(good);
    expect(s.speakers).toEqual([{ name: 'Sam Chair', role: 'Conference chair' }]);
    expect(s.breaks[0]).toMatchObject({ startedAt: '10:50', endedAt: '11:05' });
    const text = statementText(s, 'Explanatory statement');
    expect(text).toContain('Recorded on 23 November 2026 at Room 3, County Hall, and Microsoft Teams.');
    expect(text).toContain('- 10:50 to 11:05: Comfort break. Change of participants: Mother’s advocate left');
  });
  it('names every missing part on its field', () => {
    const p = problems(() => validateStatement({ speakers: [], breaks: [{ reason: 'x' }] }));
    expect(p).toMatchObject({
      location: 'Enter where the recording was made',
      recordedOn: 'Enter the date of the recording',
      startedAt: 'Enter the time the meeting started',
      context: 'Describe the context of the discussion',
      'speakers[0].name': 'Name at least one of the main speakers and their role or title',
      'breaks[0].startedAt': 'Enter the time the break started',
    });
  });
  it('refuses an end before the start and breaks outside the meeting or overlapping', () => {
    expect(problems(() => validateStatement({ ...good, endedAt: '09:00' }))).toMatchObject({
      endedAt: 'The end time must be after the start time',
    });
    const p = problems(() =>
      validateStatement({
        ...good,
        breaks: [
          { startedAt: '09:50', endedAt: '10:10', reason: 'a' },
          { startedAt: '10:05', endedAt: '12:00', reason: 'b' },
        ],
      }),
    );
    expect(p['breaks[0].startedAt']).toBe('The break must start after the meeting started');
    expect(p['breaks[1].startedAt']).toBe('Breaks must be in order and must not overlap');
    expect(p['breaks[1].endedAt']).toBe('The break must end before the meeting ended');
  });
  it('asks for the role of a named speaker', () => {
    expect(problems(() => validateStatement({ ...good, speakers: [{ name: 'Alex', role: '' }] }))).toMatchObject({
      'speakers[0].role': 'Enter the speaker’s role or title',
    });
  });
});

describe('bookmarks', () => {
  it('accepts a bookmark within the recording', () => {
    expect(validateBookmark({ at: '1:00', kind: 'decision', label: 'Plan agreed' }, 120_000)).toEqual({
      atMs: 60_000,
      kind: 'decision',
      label: 'Plan agreed',
    });
    expect(validateBookmark({ at: 5_000, kind: 'note', label: 'x' }, null).atMs).toBe(5_000);
  });
  it('refuses a bookmark past the end, without a kind or label', () => {
    const p = problems(() => validateBookmark({ at: '3:00', kind: 'nope', label: '' }, 120_000));
    expect(p).toEqual({
      at: 'The time of the bookmark must be within the recording, which is 2:00 long',
      kind: 'Select what the bookmark marks',
      label: 'Enter a short description',
    });
  });
});

describe('withheld segments', () => {
  const people = new Set(['mum', 'dad']);
  it('accepts a segment withheld from a named parent', () => {
    const s = validateWithheldSegment(
      {
        start: '10:00',
        end: '12:30',
        reason: 'confidential-to-parent',
        explanation: 'Mother’s new address',
        audience: 'named',
        personIds: ['dad', 'dad'],
      },
      3_600_000,
      people,
    );
    expect(s).toEqual({
      startMs: 600_000,
      endMs: 750_000,
      reason: 'confidential-to-parent',
      explanation: 'Mother’s new address',
      withheldFrom: { kind: 'named', personIds: ['dad'] },
    });
  });
  it('refuses an empty range, an unknown person and a missing audience', () => {
    expect(
      problems(() =>
        validateWithheldSegment(
          { start: '10:00', end: '10:00', reason: 'police', explanation: 'x', audience: 'all-family' },
          3_600_000,
          people,
        ),
      ),
    ).toEqual({
      end: 'The end of the withheld part must be after its start',
    });
    expect(
      problems(() =>
        validateWithheldSegment(
          { start: '1', end: '2', reason: 'police', explanation: 'x', audience: 'named', personIds: ['stranger'] },
          3_600_000,
          people,
        ),
      ),
    ).toEqual({
      personIds: 'Select people connected with this conference',
    });
    expect(
      problems(() =>
        validateWithheldSegment({ start: '1', end: '2', reason: 'police', explanation: 'x' }, 3_600_000, people),
      ),
    ).toEqual({
      audience: 'Select who must not hear this part',
    });
  });
  it('chooses the segments a requester must not hear', () => {
    const all = { withheldFrom: { kind: 'all-family' as const }, id: 1 };
    const dadOnly = { withheldFrom: { kind: 'named' as const, personIds: ['dad'] }, id: 2 };
    expect(segmentsWithheldFrom([all, dadOnly], 'mum').map((s) => s.id)).toEqual([1]);
    expect(segmentsWithheldFrom([all, dadOnly], 'dad').map((s) => s.id)).toEqual([1, 2]);
    expect(segmentsWithheldFrom([all, dadOnly], null).map((s) => s.id)).toEqual([1]);
  });
  it('merges overlapping and touching ranges', () => {
    expect(
      mergeRanges([
        { startMs: 50, endMs: 60 },
        { startMs: 0, endMs: 10 },
        { startMs: 10, endMs: 20 },
        { startMs: 55, endMs: 70 },
        { startMs: 5, endMs: 5 },
      ]),
    ).toEqual([
      { startMs: 0, endMs: 20 },
      { startMs: 50, endMs: 70 },
    ]);
  });
});
