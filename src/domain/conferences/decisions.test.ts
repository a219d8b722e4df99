import { describe, expect, it } from 'vitest';
import { assessChildDecision, outcomesFor } from './decisions.ts';

const base = { reasons: 'Injuries unexplained; parents not engaging', agencyViews: [] };

describe('decisions per child', () => {
  it('a first conference decides whether a plan is needed; a review whether it continues', () => {
    expect(outcomesFor('initial')).toEqual(['plan-needed', 'no-plan']);
    expect(outcomesFor('pre-birth')).toEqual(['plan-needed', 'no-plan']);
    expect(outcomesFor('review')).toEqual(['plan-continues', 'plan-ends']);
    expect(() => assessChildDecision('review', { ...base, outcome: 'plan-needed', category: 'neglect' })).toThrow(
      /continues or ends/,
    );
  });

  it('a plan needs a category (002 §3.5) and a category needs a plan', () => {
    expect(() => assessChildDecision('initial', { ...base, outcome: 'plan-needed', category: null })).toThrow(
      /Select the category/,
    );
    expect(() => assessChildDecision('initial', { ...base, outcome: 'no-plan', category: 'neglect' })).toThrow(
      /only be given when the child has a child protection plan/,
    );
    expect(
      assessChildDecision('initial', { ...base, outcome: 'plan-needed', category: 'emotional-abuse' })
        .seniorManagerReferralRequired,
    ).toBe(false);
  });

  it('reasons are required', () => {
    expect(() =>
      assessChildDecision('initial', { ...base, reasons: '  ', outcome: 'no-plan', category: null }),
    ).toThrow(/reasons/);
  });

  it('D-1: one dissenting agency is noted; more than one requires a senior manager referral', () => {
    const one = assessChildDecision('initial', {
      ...base,
      outcome: 'plan-needed',
      category: 'neglect',
      agencyViews: [
        { agencyId: 'police', view: 'dissents' },
        { agencyId: 'school', view: 'agrees' },
        { agencyId: 'gp', view: 'agrees' },
      ],
    });
    expect(one).toEqual({ dissentingAgencies: ['police'], seniorManagerReferralRequired: false, equallySplit: false });
    const two = assessChildDecision('initial', {
      ...base,
      outcome: 'plan-needed',
      category: 'neglect',
      agencyViews: [
        { agencyId: 'police', view: 'dissents' },
        { agencyId: 'school', view: 'dissents' },
        { agencyId: 'gp', view: 'agrees' },
      ],
    });
    expect(two.seniorManagerReferralRequired).toBe(true);
  });

  it('002 §3.12: equally split professional views are recorded as the chair deciding', () => {
    const r = assessChildDecision('review', {
      ...base,
      outcome: 'plan-ends',
      category: null,
      agencyViews: [
        { agencyId: 'police', view: 'dissents' },
        { agencyId: 'school', view: 'agrees' },
      ],
    });
    expect(r.equallySplit).toBe(true);
  });

  it('one view per agency', () => {
    expect(() =>
      assessChildDecision('initial', {
        ...base,
        outcome: 'no-plan',
        category: null,
        agencyViews: [
          { agencyId: 'police', view: 'agrees' },
          { agencyId: 'police', view: 'dissents' },
        ],
      }),
    ).toThrow(/one view for each agency/);
  });
});
