import { describe, expect, it } from 'vitest';
import type { Actor } from '../access/roles.ts';
import { type IsoDate, parseIsoDate } from '../calendar/iso-date.ts';
import { AccessDeniedError, ConflictError, InvalidDetailsError } from '../shared/errors.ts';
import {
  type Candidate,
  FourEyesError,
  approve,
  checkHold,
  checkProposal,
  decline,
  isFinished,
  fileLabel,
  itemAction,
  itemKey,
  keptFirst,
} from './disposal.ts';
import {
  DEFAULT_RETENTION_SCHEDULES,
  describeSchedule,
  hasReachedDate,
  readSchedule,
  retentionDate,
  validateSchedule,
} from './schedules.ts';

const d = (s: string): IsoDate => parseIsoDate(s);
const ig: Actor = { id: 'a1', name: 'Ina Governance', roles: ['access_to_records'] };
const qa: Actor = { id: 'a2', name: 'Quinn QA', roles: ['qa_manager'] };
const chair: Actor = { id: 'a3', name: 'Chris Chair', roles: ['chair'] };
const REC = '11111111-1111-4111-8111-111111111111';
const COPY = '22222222-2222-4222-8222-222222222222';

describe('retention dates (R-4)', () => {
  const recording = DEFAULT_RETENTION_SCHEDULES.recording;

  it('R-4: a recording is kept until the youngest child is 25, counted from the latest date of birth', () => {
    const date = retentionDate(recording, {
      conferenceDate: d('2020-03-02'),
      childBirthDates: [d('2010-05-01'), d('2014-07-31')],
    });
    expect(date).toEqual({ dueOn: '2039-07-31' });
    expect(hasReachedDate(date, d('2039-07-30'))).toBe(false);
    expect(hasReachedDate(date, d('2039-07-31'))).toBe(true);
  });

  it('R-4: and at least 6 years after the conference when the child was nearly 25 then', () => {
    expect(retentionDate(recording, { conferenceDate: d('2024-01-10'), childBirthDates: [d('2000-01-01')] })).toEqual({
      dueOn: '2030-01-10',
    });
  });

  it('R-4: an unborn child counts from the expected date of delivery; a 29 February birthday falls on 28 February', () => {
    expect(
      retentionDate({ ...recording, minimumYearsAfterConference: 0 }, { childBirthDates: [d('2024-02-29')] }),
    ).toEqual({ dueOn: '2049-02-28' });
  });

  it('R-4: a record with a child whose date of birth is not recorded is kept, and says why', () => {
    const date = retentionDate(recording, {
      conferenceDate: d('2020-01-01'),
      childBirthDates: [d('2010-01-01'), null],
    });
    expect(date.dueOn).toBeNull();
    expect(hasReachedDate(date, d('2099-01-01'))).toBe(false);
    expect(date).toMatchObject({ why: expect.stringContaining('date of birth') });
  });

  it('R-4: copies sent count from the day sent; requests from the day closed, and an open request is kept', () => {
    expect(retentionDate(DEFAULT_RETENTION_SCHEDULES['copy-sent'], { sentOn: d('2025-03-31') })).toEqual({
      dueOn: '2026-03-31',
    });
    expect(retentionDate(DEFAULT_RETENTION_SCHEDULES['copy-sent'], { sentOn: null }).dueOn).toBeNull();
    expect(retentionDate(DEFAULT_RETENTION_SCHEDULES['copy-request'], { closedOn: d('2020-06-01') })).toEqual({
      dueOn: '2026-06-01',
    });
    expect(retentionDate(DEFAULT_RETENTION_SCHEDULES['copy-request'], { closedOn: null }).dueOn).toBeNull();
  });

  it('R-4: audit entries are never due while the record they describe is kept', () => {
    const audit = DEFAULT_RETENTION_SCHEDULES['audit-entry'];
    expect(retentionDate(audit, { destroyedOn: null }).dueOn).toBeNull();
    expect(retentionDate(audit, { destroyedOn: d('2030-01-01') })).toEqual({ dueOn: '2036-01-01' });
  });

  it('R-4: a council schedule is checked with every problem at once, and one that no longer reads is the default', () => {
    expect(validateSchedule('recording', { trigger: 'conference-date', years: '7' })).toEqual({
      kind: 'recording',
      trigger: 'conference-date',
      years: 7,
      minimumYearsAfterConference: 0,
    });
    try {
      validateSchedule('recording', { trigger: 'copy-sent', years: 'ten' });
      expect.unreachable();
    } catch (err) {
      expect((err as InvalidDetailsError).problems.map((p) => p.field)).toEqual(['trigger', 'years']);
    }
    expect(() => validateSchedule('copy-sent', { trigger: 'copy-sent', years: 0 })).toThrow(/between 1 and 100/);
    expect(readSchedule('recording', { trigger: 'nonsense' })).toEqual(DEFAULT_RETENTION_SCHEDULES.recording);
    expect(describeSchedule(recording)).toBe(
      'Until the youngest child is 25, and at least 6 years after the conference',
    );
    expect(describeSchedule(DEFAULT_RETENTION_SCHEDULES['copy-sent'])).toBe('1 year after the date the copy was sent');
  });
});

describe('disposal: holds and four eyes (R-4)', () => {
  const today = d('2040-01-01');
  const due = (over: Partial<Candidate> = {}): Candidate => ({
    dueOn: d('2039-12-31'),
    held: false,
    inLiveProposal: false,
    ...over,
  });

  it('R-4: a due record with no hold may be proposed; duplicates are proposed once', () => {
    const items = checkProposal(
      ig,
      [
        { kind: 'recording', id: REC },
        { kind: 'recording', id: REC },
      ],
      new Map([[itemKey({ kind: 'recording', id: REC }), due()]]),
      today,
    );
    expect(items).toEqual([{ kind: 'recording', id: REC }]);
  });

  it('R-4: a held record, one not yet due, one already proposed and a recording with copies kept are refused together', () => {
    const candidates = new Map<string, Candidate>([
      [itemKey({ kind: 'recording', id: REC }), due({ held: true })],
      [itemKey({ kind: 'copy-sent', id: COPY }), due({ dueOn: d('2040-01-02') })],
    ]);
    expect(() =>
      checkProposal(
        ig,
        [
          { kind: 'recording', id: REC },
          { kind: 'copy-sent', id: COPY },
        ],
        candidates,
        today,
      ),
    ).toThrow(/legal hold.*not reached its retention date/);
    expect(() =>
      checkProposal(
        ig,
        [{ kind: 'recording', id: REC }],
        new Map([[itemKey({ kind: 'recording', id: REC }), due({ inLiveProposal: true })]]),
        today,
      ),
    ).toThrow(/already proposed/);
    expect(() =>
      checkProposal(
        ig,
        [{ kind: 'recording', id: REC }],
        new Map([[itemKey({ kind: 'recording', id: REC }), due({ copiesKept: 1 })]]),
        today,
      ),
    ).toThrow(/destroy the copies first/);
    expect(() => checkProposal(ig, [], new Map(), today)).toThrow(InvalidDetailsError);
    expect(() => checkProposal(ig, [{ kind: 'audit-entry', id: REC }], new Map(), today)).toThrow(/not found/);
  });

  it('R-4: four eyes: the proposer cannot approve their own proposal; a second, different person can', () => {
    const proposal = { id: 'p', state: 'proposed' as const, proposedBy: ig.id, approvedBy: null, declinedBy: null };
    expect(() => approve(proposal, ig)).toThrow(FourEyesError);
    expect(() => approve(proposal, { ...qa, id: ig.id })).toThrow(FourEyesError);
    const approved = approve(proposal, qa);
    expect(approved).toMatchObject({ state: 'approved', approvedBy: qa.id });
    expect(() => approve(approved, qa)).toThrow(ConflictError);
    expect(() => decline(approved, qa)).toThrow(ConflictError);
  });

  it('R-4: only information governance, the QA service manager or an administrator may propose, approve or hold', () => {
    const proposal = { id: 'p', state: 'proposed' as const, proposedBy: ig.id, approvedBy: null, declinedBy: null };
    expect(() => approve(proposal, chair)).toThrow(AccessDeniedError);
    expect(() => checkProposal(chair, [{ kind: 'recording', id: REC }], new Map(), today)).toThrow(AccessDeniedError);
    expect(() => checkHold(chair, 'recording', 'court order')).toThrow(AccessDeniedError);
  });

  it('R-4: the proposer may withdraw (decline) their own proposal', () => {
    const proposal = { id: 'p', state: 'proposed' as const, proposedBy: ig.id, approvedBy: null, declinedBy: null };
    expect(decline(proposal, ig)).toMatchObject({ state: 'declined', declinedBy: ig.id });
  });

  it('R-4: a hold needs a reason; the job skips an item held since approval and leaves destroyed ones alone', () => {
    expect(() => checkHold(ig, 'recording', '  ')).toThrow(/why the record must be kept/);
    expect(() => checkHold(ig, 'recording', 'x'.repeat(1001))).toThrow(/1000 characters/);
    expect(checkHold(ig, 'copy-sent', ' Court order in care proceedings ')).toEqual({
      kind: 'copy-sent',
      reason: 'Court order in care proceedings',
    });
    expect(itemAction('pending', false)).toBe('destroy');
    expect(itemAction('pending', true)).toBe('hold');
    expect(itemAction('destroyed', true)).toBe('done');
    expect(isFinished([{ state: 'destroyed' }, { state: 'held' }])).toBe(true);
    expect(isFinished([{ state: 'destroyed' }, { state: 'pending' }])).toBe(false);
  });
});

describe('conference records and requests for copies (R-4)', () => {
  const today = d('2045-01-02');
  const CONF = '33333333-3333-4333-8333-333333333333';
  const REQ = '44444444-4444-4444-8444-444444444444';
  const ready = (over: Partial<Candidate> = {}): Candidate => ({
    dueOn: d('2044-07-31'),
    held: false,
    inLiveProposal: false,
    ...over,
  });

  it('R-4: a conference record is kept until the youngest child (born or expected) is 25, and at least 6 years after the conference', () => {
    const schedule = DEFAULT_RETENTION_SCHEDULES['conference-record'];
    expect(
      retentionDate(schedule, { conferenceDate: d('2020-03-02'), childBirthDates: [d('2010-05-01'), d('2019-07-31')] }),
    ).toEqual({ dueOn: '2044-07-31' });
    // A pre-birth conference counts from the expected date of delivery.
    expect(retentionDate(schedule, { conferenceDate: d('2026-01-10'), childBirthDates: [d('2026-04-20')] })).toEqual({
      dueOn: '2051-04-20',
    });
    expect(retentionDate(schedule, { conferenceDate: d('2026-01-10'), childBirthDates: [null] })).toMatchObject({
      dueOn: null,
    });
    const fromConference = readSchedule('conference-record', { trigger: 'conference-date', years: 10 });
    expect(retentionDate(fromConference, { conferenceDate: d('2020-02-29'), childBirthDates: [] })).toEqual({
      dueOn: '2030-02-28',
    });
  });

  it('R-4: a request for a copy is due 6 years after it was closed, and never while it is open', () => {
    const schedule = DEFAULT_RETENTION_SCHEDULES['copy-request'];
    expect(retentionDate(schedule, { closedOn: d('2026-03-25') })).toEqual({ dueOn: '2032-03-25' });
    expect(retentionDate(schedule, { closedOn: null })).toEqual({ dueOn: null, why: 'The request is still open' });
    expect(hasReachedDate(retentionDate(schedule, { closedOn: d('2026-03-25') }), d('2032-03-24'))).toBe(false);
  });

  it('R-4: a conference record waits for its recordings, a request for its copies; both may be held and proposed', () => {
    expect(keptFirst('conference-record', { recordingsKept: 1 })).toMatch(/recordings are still kept/);
    expect(keptFirst('copy-request', { copiesKept: 2 })).toMatch(/Copies sent for it are still kept/);
    expect(keptFirst('conference-record', { recordingsKept: 0 })).toBeNull();
    expect(() =>
      checkProposal(
        ig,
        [{ kind: 'conference-record', id: CONF }],
        new Map([[itemKey({ kind: 'conference-record', id: CONF }), ready({ recordingsKept: 1 })]]),
        today,
      ),
    ).toThrow(/destroy the recordings first/);
    expect(() =>
      checkProposal(
        ig,
        [{ kind: 'copy-request', id: REQ }],
        new Map([[itemKey({ kind: 'copy-request', id: REQ }), ready({ copiesKept: 1 })]]),
        today,
      ),
    ).toThrow(/destroy the copies first/);
    expect(
      checkProposal(
        ig,
        [
          { kind: 'conference-record', id: CONF },
          { kind: 'copy-request', id: REQ },
        ],
        new Map([
          [itemKey({ kind: 'conference-record', id: CONF }), ready()],
          [itemKey({ kind: 'copy-request', id: REQ }), ready()],
        ]),
        today,
      ),
    ).toEqual([
      { kind: 'conference-record', id: CONF },
      { kind: 'copy-request', id: REQ },
    ]);
    expect(checkHold(ig, 'conference-record', 'Subject access request')).toMatchObject({ kind: 'conference-record' });
    expect(fileLabel('issued-document')).toBe('Issued document (the copy as sent)');
  });
});
