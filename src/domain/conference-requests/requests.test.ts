import { describe, expect, it } from 'vitest';
import { checkDecision, checkNewRequest } from './requests.ts';

const fields = (r: { problems: Array<{ field: string }> }) => r.problems.map((p) => p.field);

describe('professionals asking for a conference (002 §1.1)', () => {
  it('002 §1.1: a request names who asked (on the record, or by name, agency and role), their concerns and any support', () => {
    expect(fields(checkNewRequest({ requesterKind: undefined }))).toEqual(['requesterKind', 'reasons', 'support']);
    expect(fields(checkNewRequest({ requesterKind: 'described', reasons: 'x', support: 'none' }))).toEqual([
      'name',
      'agency',
      'role',
    ]);
    expect(
      fields(
        checkNewRequest({
          requesterKind: 'described',
          name: 'Dr Lee',
          agency: 'GP',
          role: 'GP',
          email: 'not-an-email',
          reasons: 'Bruising',
          support: 'named-professional',
        }),
      ),
    ).toEqual(['email', 'supporterName']);
    const ok = checkNewRequest({
      requesterKind: 'on-record',
      professionalId: 'abc',
      reasons: '  Repeated bruising  ',
      support: 'none',
      supporterName: 'ignored',
    });
    expect(ok.value).toEqual({
      requester: { kind: 'on-record', professionalId: 'abc' },
      reasons: 'Repeated bruising',
      support: 'none',
      supporterName: null,
    });
  });

  it('002 §1.1: declining needs the reasons and the discussion held to resolve the difference', () => {
    expect(fields(checkDecision('awaiting-decision', 'none', { decision: 'decline' }))).toEqual([
      'reasons',
      'discussion',
    ]);
    expect(checkDecision('awaiting-decision', 'none', { decision: 'agree' }).value).toEqual({ decision: 'agree' });
    expect(fields(checkDecision('awaiting-decision', 'none', { decision: 'maybe' }))).toEqual(['decision']);
    expect(fields(checkDecision('agreed', 'none', { decision: 'agree' }))).toEqual(['decision']);
  });

  it('002 §1.1: a request supported by a senior manager, named or designated professional should normally be agreed: declining it needs why it is the exception', () => {
    const decline = { decision: 'decline', reasons: 'Threshold not met', discussion: 'Met the school on 3 March' };
    for (const support of ['senior-manager', 'named-professional', 'designated-professional'] as const) {
      const r = checkDecision('awaiting-decision', support, decline);
      expect(fields(r)).toEqual(['exceptionReason']);
      expect(r.problems[0]!.message).toMatch(/should normally be agreed/);
    }
    expect(checkDecision('awaiting-decision', 'none', { ...decline, exceptionReason: 'dropped' }).value).toMatchObject({
      exceptionReason: null,
    });
    expect(
      checkDecision('awaiting-decision', 'senior-manager', { ...decline, exceptionReason: 'New information' }).value,
    ).toMatchObject({ decision: 'decline', exceptionReason: 'New information' });
  });
});
