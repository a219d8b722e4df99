import { describe, expect, it } from 'vitest';
import { InvalidDetailsError } from '../shared/errors.ts';
import { attendanceAnswers } from '../../../test/support/participation.ts';
import { checkChildAttendance, reasonRequired } from './child-attendance.ts';
import { checkExclusionDetails, criteriaFor, excludedViewsText, exclusionReasonText } from './exclusion.ts';
import { checkHelp, checkTypedReport } from './parent-reports.ts';
import { checkAdvocateRole, checkBar, mayBeBarred } from './supporters.ts';

const fields = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((p) => p.field);
    throw err;
  }
  throw new Error('no problem found');
};

const answers = attendanceAnswers;

describe('002 §3.2: whether a child attends', () => {
  it('002 §3.2: 12 or over is presumed eligible: not attending needs a reason unless the child does not wish to', () => {
    expect(reasonRequired(12, 'not-known', 'not-attend')).toBe(true);
    expect(reasonRequired(11, 'not-known', 'not-attend')).toBe(false);
    expect(reasonRequired(15, 'not-attend', 'not-attend')).toBe(false);
    expect(reasonRequired(null, 'not-known', 'not-attend')).toBe(false);
  });

  it('002 §3.2: a child who wishes to attend does unless a reason shows otherwise, at any age', () => {
    expect(reasonRequired(8, 'attend', 'part')).toBe(true);
    expect(reasonRequired(8, 'part', 'part')).toBe(false);
    expect(reasonRequired(8, 'part', 'attend')).toBe(false);
  });

  it('002 §3.2: a child’s refusal is respected: any attendance against it is refused outright', () => {
    expect(() =>
      checkChildAttendance(answers({ childWish: 'not-attend', decision: 'part', partArrangements: 'x' }), 14),
    ).toThrow(expect.objectContaining({ code: 'CHILD_REFUSED' }));
  });

  it('002 §3.2: part attendance needs its arrangements; not attending needs a way for the child’s views to be conveyed', () => {
    expect(fields(() => checkChildAttendance(answers({ childWish: 'part', decision: 'part' }), 14))).toEqual([
      'partArrangements',
    ]);
    expect(
      fields(() => checkChildAttendance(answers({ childWish: 'not-attend', decision: 'not-attend' }), 14)),
    ).toEqual(['viewsRoutes']);
    const ok = checkChildAttendance(
      answers({
        childWish: 'not-attend',
        decision: 'not-attend',
        viewsRoutes: ['written', 'written'],
        partArrangements: 'x',
      }),
      14,
    );
    expect(ok).toMatchObject({ viewsRoutes: ['written'], partArrangements: null, reason: null });
  });
});

describe('002 §3.2: supporters and advocates', () => {
  it('002 §3.2: only a friend or supporter may be barred; another reason needs its words', () => {
    expect(['friend', 'supporter', 'advocate', 'family-member'].map(mayBeBarred)).toEqual([true, true, false, false]);
    expect(fields(() => checkBar({ reason: 'other', detail: ' ' }))).toEqual(['detail']);
    expect(checkBar({ reason: 'risk-to-children', detail: '' })).toEqual({ reason: 'risk-to-children', detail: null });
  });

  it('002 §3.2: an advocate speaks for a parent or child of the conference, the view found out before it', () => {
    const opts = { parents: ['p1'], children: ['c1'], conferenceDate: '2026-03-02' };
    expect(
      fields(() =>
        checkAdvocateRole(
          { speaksFor: 'parent:c1', viewAscertained: 'yes', viewAscertainedOn: '2026-03-03', note: '' },
          opts,
        ),
      ),
    ).toEqual(['speaksFor', 'viewAscertainedOn']);
    expect(
      checkAdvocateRole(
        { speaksFor: 'child:c1', viewAscertained: 'no', viewAscertainedOn: '2026-01-01', note: '' },
        opts,
      ),
    ).toEqual({ speaksFor: { kind: 'child', childId: 'c1' }, viewAscertainedOn: null, note: null });
  });
});

describe('002 §3.2, 001: parents’ reports and help', () => {
  it('002 §3.2: help arranged names who arranges it; a disability’s requirements are spelt out; declined needs neither', () => {
    expect(fields(() => checkHelp({ kind: 'disability', status: 'offered', arrangedBy: '', details: '' }))).toEqual([
      'arrangedBy',
      'details',
    ]);
    expect(checkHelp({ kind: 'childcare', status: 'declined', arrangedBy: '', details: '' })).toMatchObject({
      arrangedBy: null,
    });
    expect(fields(() => checkTypedReport('  '))).toEqual(['text']);
  });
});

describe('002 §3.2: excluding a parent', () => {
  const told = { toldOrallyOn: '2026-03-02', toldOrallyBy: 'Cal Chair', viewsRoutes: ['written-report'] };

  it('002 §3.2: the criteria are those of the extent chosen, or another reason in the chair’s words', () => {
    expect(criteriaFor('full')).toEqual(['violence-or-intimidation', 'disruption', 'other']);
    expect(criteriaFor('partial')).toEqual(['criminal-proceedings', 'child-request', 'other']);
    expect(
      fields(() => checkExclusionDetails({ extent: 'partial', criteria: ['disruption'], ...told }, '2026-03-02')),
    ).toEqual(['criteria']);
    expect(fields(() => checkExclusionDetails({ extent: 'full', criteria: ['other'], ...told }, '2026-03-02'))).toEqual(
      ['otherReason'],
    );
  });

  it('002 §3.2: the reasons are told orally (date and who, not in the future); in writing once given, both or neither', () => {
    expect(
      fields(() =>
        checkExclusionDetails(
          {
            extent: 'full',
            criteria: ['disruption'],
            ...told,
            toldOrallyOn: '2026-03-03',
            toldInWritingBy: 'Cal Chair',
          },
          '2026-03-02',
        ),
      ),
    ).toEqual(['toldOrallyOn', 'toldInWritingOn']);
    const d = checkExclusionDetails(
      { extent: 'full', criteria: ['disruption', 'other'], otherReason: 'Shouting at the school', ...told },
      '2026-03-02',
    );
    expect(d.toldInWriting).toBeNull();
    expect(exclusionReasonText(d)).toBe(
      'They are presenting, on the day or during the meeting, in a way likely to disrupt it. Shouting at the school',
    );
    expect(excludedViewsText(d)).toBe('A written report of their own');
  });
});
