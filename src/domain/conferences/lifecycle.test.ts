import { describe, expect, it } from 'vitest';
import { nextStatus } from './lifecycle.ts';

describe('conference life cycle', () => {
  it('planned → in progress → held when quorate and every child has a decision', () => {
    expect(nextStatus('planned', { type: 'open' })).toBe('in-progress');
    expect(
      nextStatus('in-progress', {
        type: 'conclude',
        quorate: true,
        proceededInquorateReason: null,
        childrenWithoutDecision: 0,
      }),
    ).toBe('held');
  });

  it('Q-1: an inquorate conference concludes only with the chair’s recorded reason', () => {
    const conclude = {
      type: 'conclude' as const,
      quorate: false,
      proceededInquorateReason: null,
      childrenWithoutDecision: 0,
    };
    expect(() => nextStatus('in-progress', conclude)).toThrow(/not quorate/);
    expect(
      nextStatus('in-progress', { ...conclude, proceededInquorateReason: 'Child has contact with only two agencies' }),
    ).toBe('held');
    expect(() => nextStatus('in-progress', { type: 'proceed-inquorate', reason: ' ' })).toThrow(/Enter why/);
  });

  it('Q-1: adjourning needs the immediate safety steps and a new date', () => {
    expect(() => nextStatus('in-progress', { type: 'adjourn-inquorate', safetySteps: '', newDateSet: true })).toThrow(
      /immediate steps/,
    );
    expect(() =>
      nextStatus('in-progress', {
        type: 'adjourn-inquorate',
        safetySteps: 'Child stays with grandmother',
        newDateSet: false,
      }),
    ).toThrow(/Set the date/);
    expect(
      nextStatus('in-progress', {
        type: 'adjourn-inquorate',
        safetySteps: 'Child stays with grandmother',
        newDateSet: true,
      }),
    ).toBe('adjourned-inquorate');
  });

  it('cannot conclude while a child has no decision', () => {
    expect(() =>
      nextStatus('in-progress', {
        type: 'conclude',
        quorate: true,
        proceededInquorateReason: null,
        childrenWithoutDecision: 1,
      }),
    ).toThrow(/1 still to do/);
  });

  it('a held or cancelled conference cannot be reopened', () => {
    expect(() => nextStatus('held', { type: 'open' })).toThrow(/cannot be changed/);
    expect(() => nextStatus('cancelled', { type: 'open' })).toThrow(/cannot be changed/);
    expect(() => nextStatus('planned', { type: 'cancel', reason: '' })).toThrow(/why the conference is cancelled/);
  });
});
