import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { d, recordChildren, reply } from './test-support.ts';
import {
  matchVerification,
  namesMatch,
  normaliseName,
  REQUESTER_MISMATCH_MESSAGE,
  validateVerificationReply,
  type VerificationReply,
} from './verification.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

const withChildren = (children: VerificationReply['children'], emailConfirmedSecure = true): VerificationReply => ({
  emailConfirmedSecure,
  children,
});

describe('A-5 comparing names', () => {
  it.each([
    ['Zoë Anne Smith', 'zoe anne smith'],
    ['  Ava   Mae\tStone ', 'Ava Mae Stone'],
    ['CHLOÉ Ñúñez', 'chloe nunez'],
    ['O’Brien', "O'Brien"],
    ['Smith–Jones', 'Smith-Jones'],
  ])('A-5: “%s” matches “%s” (case, spacing, accents, typographic punctuation)', (a, b) => {
    expect(namesMatch(a, b)).toBe(true);
  });

  it.each([
    ['Ava Stone', 'Ava Mae Stone'], // a missing middle name
    ["O'Brien", 'OBrien'],
    ['Smith-Jones', 'Smith Jones'],
    ['Jon Stone', 'John Stone'],
    ['Ben Stone', 'Benjamin Stone'],
  ])('A-5: “%s” does not match “%s” (otherwise exact)', (a, b) => {
    expect(namesMatch(a, b)).toBe(false);
  });

  it('property: normalising is idempotent and ignores case and surrounding space', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const n = normaliseName(s);
        return normaliseName(n) === n && normaliseName(`  ${s.toUpperCase()} `) === normaliseName(s.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });
});

describe('A-5 matchVerification', () => {
  it('A-5: every child’s full name and date of birth given, email confirmed: matched', () => {
    const r = matchVerification(reply, recordChildren);
    expect(r).toMatchObject({ matched: true, failures: [], mismatches: [], unexpectedChildren: 0, staffMessages: [] });
    expect(r.requesterMessage).toBe('Thank you. Your details have been confirmed.');
  });

  it('A-5: order of the children in the reply does not matter, nor accents or case', () => {
    const r = matchVerification(
      withChildren([
        { fullName: 'BEN STONE', dateOfBirth: d('2016-11-30') },
        { fullName: 'ava  mäe stone', dateOfBirth: d('2012-05-04') },
      ]),
      recordChildren,
    );
    expect(r.matched).toBe(true);
  });

  it('A-5: a wrong date of birth names the child for staff, and tells the requester nothing specific', () => {
    const r = matchVerification(
      withChildren([reply.children[0]!, { fullName: 'Ben Stone', dateOfBirth: d('2016-11-29') }]),
      recordChildren,
    );
    expect(r.matched).toBe(false);
    expect(r.failures).toEqual(['mismatch']);
    expect(r.mismatches).toEqual([{ childId: 'child-ben', problem: 'date-of-birth' }]);
    expect(r.staffMessages).toEqual([
      'Ben Stone: the name matches but the date of birth given does not match the record.',
    ]);
    expect(r.requesterMessage).toBe(REQUESTER_MISMATCH_MESSAGE);
  });

  it('A-5: a name that is not exact (a missing middle name) is a name mismatch when the date of birth matches', () => {
    const r = matchVerification(
      withChildren([{ fullName: 'Ava Stone', dateOfBirth: d('2012-05-04') }, reply.children[1]!]),
      recordChildren,
    );
    expect(r.mismatches).toEqual([{ childId: 'child-ava', problem: 'name' }]);
    expect(r.staffMessages[0]).toMatch(
      /^Ava Mae Stone: the date of birth matches but the name given does not match the record exactly/,
    );
  });

  it('A-5: a child left out of the reply is “not given”', () => {
    const r = matchVerification(withChildren([reply.children[0]!]), recordChildren);
    expect(r.mismatches).toEqual([{ childId: 'child-ben', problem: 'not-given' }]);
  });

  it('A-5: naming a child who is not in the request fails, so the chair sees it', () => {
    const r = matchVerification(
      withChildren([...reply.children, { fullName: 'Cal Stone', dateOfBirth: d('2019-01-01') }]),
      recordChildren,
    );
    expect(r.matched).toBe(false);
    expect(r.failures).toEqual(['unexpected-child']);
    expect(r.unexpectedChildren).toBe(1);
    expect(r.staffMessages).toEqual(['The reply names a child who is not in this request.']);
  });

  it('A-5: the email address not confirmed as secure fails even when every child matches', () => {
    const r = matchVerification({ ...reply, emailConfirmedSecure: false }, recordChildren);
    expect(r.matched).toBe(false);
    expect(r.failures).toEqual(['email-not-confirmed']);
    expect(r.staffMessages[0]).toMatch(/did not confirm that their email address is secure/);
  });

  describe('A-5 an unborn sibling', () => {
    const unborn = {
      id: 'child-unborn',
      givenNames: 'Baby',
      familyName: 'Stone',
      dateOfBirth: null,
      expectedDeliveryDate: d('2026-07-20'),
    };

    it('A-5: is verified by the expected date of delivery the requester gives, not treated as a mismatch', () => {
      const r = matchVerification(
        withChildren([...reply.children, { fullName: 'Baby Stone', dateOfBirth: d('2026-07-20') }]),
        [...recordChildren, unborn],
      );
      expect(r).toMatchObject({ matched: true, failures: [], mismatches: [], notCheckable: [], unexpectedChildren: 0 });
      expect(r.notes).toEqual([
        'Baby Stone is not born yet, so the expected date of delivery was checked instead of a date of birth.',
      ]);
    });

    it('A-5: the provisional name of an unborn baby is not compared: the expected date is', () => {
      const r = matchVerification(
        withChildren([...reply.children, { fullName: 'Ruby Stone', dateOfBirth: d('2026-07-20') }]),
        [...recordChildren, unborn],
      );
      expect(r.matched).toBe(true);
    });

    it('A-5: a wrong or missing expected date of delivery is a mismatch naming the child for staff only', () => {
      const wrong = matchVerification(
        withChildren([...reply.children, { fullName: 'Baby Stone', dateOfBirth: d('2026-07-21') }]),
        [...recordChildren, unborn],
      );
      expect(wrong.matched).toBe(false);
      expect(wrong.mismatches).toEqual([{ childId: 'child-unborn', problem: 'expected-delivery-date' }]);
      expect(wrong.staffMessages[0]).toMatch(
        /^Baby Stone is not born yet: the expected date of delivery given does not match the record/,
      );
      expect(wrong.requesterMessage).toBe(REQUESTER_MISMATCH_MESSAGE);
      const missing = matchVerification(reply, [...recordChildren, unborn]);
      expect(missing.mismatches).toEqual([{ childId: 'child-unborn', problem: 'expected-delivery-date' }]);
    });

    it('A-5: every child unborn: checked by the expected date alone', () => {
      const r = matchVerification(withChildren([{ fullName: 'Baby Stone', dateOfBirth: d('2026-07-20') }]), [unborn]);
      expect(r).toMatchObject({ matched: true, failures: [] });
    });

    it('A-5: an unborn child with no expected date on record is left out of the check, with the reason for staff', () => {
      const undated = { ...unborn, expectedDeliveryDate: null };
      const some = matchVerification(reply, [...recordChildren, undated]);
      expect(some).toMatchObject({ matched: true, notCheckable: ['child-unborn'] });
      expect(some.notes).toEqual([
        'Baby Stone was left out of the check: they are not born yet and their record has no expected date of delivery.',
      ]);
      // Naming the baby anyway is not "a child not in the request".
      const named = matchVerification(
        withChildren([...reply.children, { fullName: 'Baby Stone', dateOfBirth: d('2026-01-01') }]),
        [...recordChildren, undated],
      );
      expect(named).toMatchObject({ matched: true, unexpectedChildren: 0 });
      const none = matchVerification(withChildren([{ fullName: 'Baby Stone', dateOfBirth: d('2026-01-01') }]), [
        undated,
      ]);
      expect(none.matched).toBe(false);
      expect(none.failures).toContain('no-checkable-child');
      expect(none.staffMessages.join(' ')).toMatch(/Add the date to the child’s record/);
    });
  });

  it('A-5: two children with the same name pair by date of birth', () => {
    const twins = [
      { id: 'a', givenNames: 'Sam', familyName: 'Lee', dateOfBirth: d('2014-01-01') },
      { id: 'b', givenNames: 'Sam', familyName: 'Lee', dateOfBirth: d('2016-01-01') },
    ];
    const r = matchVerification(
      withChildren([
        { fullName: 'Sam Lee', dateOfBirth: d('2016-01-01') },
        { fullName: 'Sam Lee', dateOfBirth: d('2014-01-01') },
      ]),
      twins,
    );
    expect(r.matched).toBe(true);
  });

  it('property A-5: the requester’s message never contains a name or date from the record or the reply', () => {
    const name = fc.stringMatching(/^[A-Z][a-z]{2,8}$/);
    const date = fc
      .integer({ min: 0, max: 6000 })
      .map((n) => new Date(Date.UTC(2005, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(name, name, date, name, date, fc.boolean(), (given, family, dob, replyName, replyDob, confirmed) => {
        const r = matchVerification(
          {
            emailConfirmedSecure: confirmed,
            children: [{ fullName: `${replyName} ${family}`, dateOfBirth: d(replyDob) }],
          },
          [{ id: 'child-x9', givenNames: given, familyName: family, dateOfBirth: d(dob) }],
        );
        const leaks = [given, family, dob, replyName, replyDob, 'child-x9'].filter((v) =>
          r.requesterMessage.includes(v),
        );
        // The message is one of two fixed sentences; common words could only collide by chance.
        return (
          leaks.every((v) => /^(The|Thank|Your|We|You)$/.test(v)) &&
          r.matched === (confirmed && replyName === given && replyDob === dob)
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('A-5 the reply form', () => {
  it('needs the email question answered and a real date and a name for every child given', () => {
    try {
      validateVerificationReply({
        children: [
          { fullName: 'Ava Stone', dateOfBirth: '2012-02-30' },
          { fullName: '', dateOfBirth: '2016-11-30' },
        ],
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidDetailsError);
      expect((e as InvalidDetailsError).problems.map((p) => p.field)).toEqual([
        'emailConfirmedSecure',
        'children[0].dateOfBirth',
        'children[1].fullName',
      ]);
    }
    expect(() =>
      validateVerificationReply({ emailConfirmedSecure: true, children: [{ fullName: ' ', dateOfBirth: '' }] }),
    ).toThrow(/Enter the full name and date of birth of each child/);
  });

  it('returns the reply with trimmed names; blank rows are ignored', () => {
    expect(
      validateVerificationReply({
        emailConfirmedSecure: 'yes',
        children: [
          { fullName: ' Ava Stone ', dateOfBirth: '2012-05-04' },
          { fullName: '', dateOfBirth: '' },
        ],
      }),
    ).toEqual({
      emailConfirmedSecure: true,
      children: [{ fullName: 'Ava Stone', dateOfBirth: '2012-05-04' }],
    });
    expect(
      validateVerificationReply({
        emailConfirmedSecure: 'no',
        children: [{ fullName: 'A', dateOfBirth: '2012-05-04' }],
      }).emailConfirmedSecure,
    ).toBe(false);
  });
});
