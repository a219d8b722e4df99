import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../calendar/index.ts';
import { DomainError } from '../shared/errors.ts';
import { interpreterNote } from './invitees.ts';
import {
  type ReconveneFacts,
  checkReconvening,
  describeReconveneGround,
  outstandingReconvene,
  reconveneBy,
  reconveneGround,
} from './reconvening.ts';

const d = (s: string) => s as IsoDate;
const adjourned: ReconveneFacts = {
  status: 'adjourned-inquorate',
  reconveneDate: d('2026-03-09'),
  dissent: null,
  reconvenedAs: null,
};
const dissent: ReconveneFacts = {
  status: 'held',
  reconveneDate: null,
  dissent: { reviewedOn: d('2026-03-02'), reconveneDue: d('2026-03-30') },
  reconvenedAs: null,
};

function codeOf(fn: () => unknown): { code: string; field: string | undefined } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, field: err.field };
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('what is to be reconvened (Q-1, D-1)', () => {
  it('Q-1: an adjourned inquorate conference with a new date; D-1: a held conference whose review decided to reconvene', () => {
    expect(reconveneGround(adjourned)).toEqual({ rule: 'Q-1', newDate: '2026-03-09' });
    expect(reconveneGround(dissent)).toEqual({ rule: 'D-1', reviewedOn: '2026-03-02', due: '2026-03-30' });
    expect(reconveneBy(reconveneGround(dissent)!)).toBe('2026-03-30');
    expect(reconveneGround({ ...adjourned, reconveneDate: null })).toBeNull();
    expect(reconveneGround({ ...dissent, status: 'planned' })).toBeNull();
    expect(describeReconveneGround(reconveneGround(adjourned)!)).toBe(
      'Adjourned as not quorate: the chair set the new date, 9 March 2026',
    );
    expect(describeReconveneGround(reconveneGround(dissent)!)).toBe(
      'The senior manager’s review on 2 March 2026 decided to reconvene: due by 30 March 2026',
    );
  });

  it('is outstanding until a conference that is not cancelled is linked as reconvening it', () => {
    expect(outstandingReconvene(adjourned)).not.toBeNull();
    expect(outstandingReconvene({ ...adjourned, reconvenedAs: { status: 'planned' } })).toBeNull();
    expect(outstandingReconvene({ ...dissent, reconvenedAs: { status: 'held' } })).toBeNull();
    expect(outstandingReconvene({ ...dissent, reconvenedAs: { status: 'cancelled' } })).toEqual(
      reconveneGround(dissent),
    );
  });

  it('a new conference may reconvene one still waiting, of the same type and children, and after it', () => {
    const earlier = {
      ...adjourned,
      type: 'initial' as const,
      scheduledDate: d('2026-03-02'),
      childIds: ['ava', 'ben'],
    };
    expect(checkReconvening(earlier, { type: 'initial', childIds: ['ben'], scheduledDate: d('2026-03-09') })).toEqual({
      rule: 'Q-1',
      newDate: '2026-03-09',
    });
    expect(
      codeOf(() =>
        checkReconvening(
          { ...earlier, reconvenedAs: { status: 'planned', type: 'initial', scheduledDate: d('2026-03-09') } },
          { type: 'initial', childIds: ['ava'], scheduledDate: null },
        ),
      ),
    ).toEqual({ code: 'ALREADY_RECONVENED', field: 'reconvenesConferenceId' });
    expect(
      codeOf(() =>
        checkReconvening(
          { ...earlier, status: 'planned' },
          { type: 'initial', childIds: ['ava'], scheduledDate: null },
        ),
      ),
    ).toEqual({ code: 'NOT_TO_RECONVENE', field: 'reconvenesConferenceId' });
    expect(
      codeOf(() => checkReconvening(earlier, { type: 'initial', childIds: ['cal'], scheduledDate: null })),
    ).toEqual({ code: 'RECONVENE_OTHER_CHILDREN', field: 'reconvenesConferenceId' });
    expect(codeOf(() => checkReconvening(earlier, { type: 'review', childIds: ['ava'], scheduledDate: null }))).toEqual(
      { code: 'RECONVENE_OTHER_TYPE', field: 'type' },
    );
    expect(
      codeOf(() => checkReconvening(earlier, { type: 'initial', childIds: ['ava'], scheduledDate: d('2026-03-02') })),
    ).toEqual({ code: 'RECONVENE_BEFORE', field: 'scheduledDate' });
    // A cancelled reconvened conference leaves it waiting: another may be booked.
    expect(
      checkReconvening(
        { ...earlier, reconvenedAs: { status: 'cancelled' } },
        { type: 'initial', childIds: ['ava'], scheduledDate: null },
      ).rule,
    ).toBe('Q-1');
  });
});

describe('interpreter languages on the list and the register', () => {
  it('says who needs an interpreter and who interprets, and nothing for professionals', () => {
    expect(interpreterNote('family-member', 'Polish')).toBe('Needs an interpreter: Polish');
    expect(interpreterNote('child', 'British Sign Language')).toBe('Needs an interpreter: British Sign Language');
    expect(interpreterNote('interpreter', 'Polish')).toBe('Interprets Polish');
    expect(interpreterNote('professional', 'Polish')).toBeNull();
    expect(interpreterNote('family-member', null)).toBeNull();
  });
});
