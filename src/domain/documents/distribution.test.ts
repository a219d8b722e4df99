import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../calendar/index.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import {
  type DistributionInput,
  type DistributionOverride,
  checkOverride,
  distributionList,
  includedRecipients,
} from './distribution.ts';
import type { AttendeeFacts, PlanFacts } from './facts.ts';
import type { DocumentKind } from './model.ts';

let n = 0;
function attendee(over: Partial<AttendeeFacts> & Pick<AttendeeFacts, 'kind' | 'name'>): AttendeeFacts {
  n += 1;
  return {
    inviteeId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    role: over.kind,
    agencyName: null,
    personId: null,
    childId: null,
    parentalResponsibility: false,
    attendance: 'attended',
    exclusion: null,
    interpreterLanguage: null,
    language: null,
    accessibilityNeeds: null,
    ...over,
  };
}

const mother = attendee({
  kind: 'family-member',
  name: 'Jane Smith',
  parentalResponsibility: true,
  attendance: 'absent',
});
const father = attendee({ kind: 'family-member', name: 'Tom Smith', parentalResponsibility: false });
const excluded = attendee({
  kind: 'family-member',
  name: 'Rob Jones',
  parentalResponsibility: true,
  attendance: 'excluded',
  exclusion: { extent: 'full', reason: 'Threats to staff', howViewsHeard: 'In writing' },
});
const child = attendee({ kind: 'child', name: 'Amy Smith' });
const younger = attendee({ kind: 'child', name: 'Ben Smith' });
const police = attendee({ kind: 'professional', name: 'PC Dee', agencyName: 'Sussex Police', attendance: 'apologies' });
const housing = attendee({ kind: 'professional', name: 'Hal Housing', agencyName: 'Housing' });
const school = attendee({ kind: 'professional', name: 'Ms Teach', agencyName: 'Oak School' });
const advocate = attendee({ kind: 'advocate', name: 'Ada Advocate' });
const supporter = attendee({ kind: 'supporter', name: 'Sue Supporter' });
const friend = attendee({ kind: 'friend', name: 'Fay Friend' });
const interpreter = attendee({ kind: 'interpreter', name: 'Ivo Interpreter' });
const everyone = [
  mother,
  father,
  excluded,
  child,
  younger,
  police,
  housing,
  school,
  advocate,
  supporter,
  friend,
  interpreter,
];

const plan: PlanFacts = {
  childId: 'c1',
  leadSocialWorker: null,
  firstCoreGroupDate: '2026-03-12' as IsoDate,
  contingencyPlan: null,
  nextReviewDate: null,
  actions: [],
  coreGroup: [{ inviteeId: housing.inviteeId, name: housing.name, role: 'Housing officer', agencyName: 'Housing' }],
};

function input(kind: DocumentKind, over: Partial<DistributionInput> = {}): DistributionInput {
  return {
    kind,
    attendees: everyone,
    plans: [plan],
    childRecipientInviteeIds: [child.inviteeId],
    subjectInviteeId: null,
    arrangements: [{ inviteeId: mother.inviteeId, kinds: ['large-print'], language: null, detail: null }],
    noInvolvement: new Map([[housing.inviteeId, { saidOn: '2026-02-20' as IsoDate, note: 'Case closed in January' }]]),
    overrides: [],
    ...over,
  };
}

const entryFor = (list: ReturnType<typeof distributionList>, id: string | null) => {
  const e = list.find((x) => x.inviteeId === id);
  if (!e) throw new Error('not on the list');
  return e;
};

describe('who gets what (W-4)', () => {
  const list = distributionList(input('conference-record'));

  it("W-4: the children's file always keeps the full record, first on the list", () => {
    expect(list[0]).toMatchObject({ inviteeId: null, included: true, copy: { kind: 'full' }, override: null });
    expect(list).toHaveLength(everyone.length + 1);
  });

  it('W-4: an invited parent with parental responsibility receives a parent’s copy whether or not they came, in large print where arranged', () => {
    expect(entryFor(list, mother.inviteeId)).toMatchObject({
      included: true,
      reason: 'Invited parent with parental responsibility; did not attend',
      copy: { kind: 'parent', person: { id: mother.inviteeId, name: 'Jane Smith' } },
      largePrint: true,
    });
  });

  it('W-4: a father without parental responsibility who was invited receives a parent’s copy, and the list says why', () => {
    const e = entryFor(list, father.inviteeId);
    expect(e.included).toBe(true);
    expect(e.reason).toContain('without parental responsibility');
    expect(e.reason).toContain('a family member invited receives a parent');
    expect(e.copy.kind).toBe('parent');
    expect(e.largePrint).toBe(false);
  });

  it('W-4: an agency that said it has no current or planned involvement is left out, with when it said so', () => {
    const e = entryFor(list, housing.inviteeId);
    expect(e.included).toBe(false);
    expect(e.reason).toBe(
      'The agency said on 20 February 2026 it has no current or planned involvement, so it is not sent the record: Case closed in January',
    );
    expect(entryFor(list, police.inviteeId)).toMatchObject({
      included: true,
      agency: 'Sussex Police',
      copy: { kind: 'full' },
      reason: 'Invited agency (Sussex Police): receives the full record whether or not present; sent apologies',
    });
  });

  it('W-4: an advocate who attended, a supporter and a friend never receive it; nor does an interpreter', () => {
    for (const a of [advocate, supporter, friend, interpreter]) {
      const e = entryFor(list, a.inviteeId);
      expect(e.included).toBe(false);
      expect(e.reason).toMatch(/never receives the record$/);
    }
    expect(entryFor(list, advocate.inviteeId).reason).toContain('An advocate');
  });

  it('002 §3.2: an excluded parent receives the parent’s copy, without what is marked for an excluded parent', () => {
    const e = entryFor(list, excluded.inviteeId);
    expect(e.included).toBe(true);
    expect(e.reason).toMatch(/^Excluded from the conference: receives what the chair agreed/);
    expect(e.copy).toEqual({ kind: 'parent', person: { id: excluded.inviteeId, name: 'Rob Jones' } });
  });

  it('W-1, W-4: a child aged 14 the chair chose receives a child’s copy; a child the chair did not choose does not', () => {
    expect(entryFor(list, child.inviteeId)).toMatchObject({ included: true, copy: { kind: 'child' } });
    expect(entryFor(list, younger.inviteeId)).toMatchObject({ included: false });
    expect(entryFor(list, younger.inviteeId).reason).toContain('only when the chair decides');
  });

  it('002 §3.10: a core group member receives the plan and core group letter whatever else, even for an agency with no involvement', () => {
    const letter = distributionList(input('plan-and-core-group-letter'));
    expect(entryFor(letter, housing.inviteeId)).toMatchObject({ included: true, copy: { kind: 'full' } });
    expect(entryFor(letter, housing.inviteeId).reason).toMatch(/^Core group member/);
    // For another document the agency's "no involvement" still leaves it out.
    expect(entryFor(distributionList(input('decision-letter')), housing.inviteeId).included).toBe(false);
  });

  it('002 §3.2: an exclusion letter goes only to the person excluded and the file', () => {
    const letter = distributionList(input('exclusion-letter', { subjectInviteeId: excluded.inviteeId }));
    expect(includedRecipients(letter).map((e) => e.inviteeId)).toEqual([null, excluded.inviteeId]);
  });

  it('W-5: the chair’s decision on an amendment request goes only to the person who asked, their copy by their role, and the file', () => {
    const toMother = distributionList(input('amendment-decision-letter', { subjectInviteeId: mother.inviteeId }));
    expect(includedRecipients(toMother).map((e) => [e.inviteeId, e.copy.kind, e.largePrint])).toEqual([
      [null, 'full', false],
      [mother.inviteeId, 'parent', true],
    ]);
    expect(entryFor(toMother, null).reason).toBe(
      "The children's file keeps the chair’s answer to every amendment request",
    );
    expect(entryFor(toMother, police.inviteeId).reason).toBe(
      'The chair’s decision on an amendment request goes only to the person who asked',
    );
    const toPolice = distributionList(input('amendment-decision-letter', { subjectInviteeId: police.inviteeId }));
    expect(includedRecipients(toPolice).map((e) => [e.inviteeId, e.copy.kind])).toEqual([
      [null, 'full'],
      [police.inviteeId, 'full'],
    ]);
    expect(() =>
      checkOverride(toMother, 'amendment-decision-letter', father.inviteeId, 'add', 'He asked for a copy'),
    ).toThrow(InvalidDetailsError);
  });

  it('W-4: a recipient added or removed by hand with a reason: the latest change applies and is shown', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    const overrides: DistributionOverride[] = [
      { inviteeId: younger.inviteeId, action: 'add', reason: 'Asked for it', byName: 'Cal Chair', at },
      { inviteeId: police.inviteeId, action: 'remove', reason: 'Wrong officer', byName: 'Bo Support', at },
      { inviteeId: younger.inviteeId, action: 'remove', reason: 'Changed mind', byName: 'Cal Chair', at },
      { inviteeId: younger.inviteeId, action: 'add', reason: 'Ben is 14 and asked the chair', byName: 'Cal Chair', at },
    ];
    const changed = distributionList(input('conference-record', { overrides }));
    expect(entryFor(changed, younger.inviteeId)).toMatchObject({
      included: true,
      reason: 'Added by Cal Chair: Ben is 14 and asked the chair',
      override: { action: 'add', by: 'Cal Chair', at, reason: 'Ben is 14 and asked the chair' },
    });
    expect(entryFor(changed, police.inviteeId)).toMatchObject({
      included: false,
      reason: 'Removed by Bo Support: Wrong officer',
    });
    expect(includedRecipients(changed).map((e) => e.name)).not.toContain('PC Dee');
  });

  it('W-4: a change by hand needs a reason; a supporter, advocate, friend or interpreter is never added', () => {
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        if (err instanceof InvalidDetailsError) return err.problems.map((p) => `${p.field}: ${p.message}`);
        throw err;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(() => checkOverride(list, 'conference-record', younger.inviteeId, 'add', '  '))).toEqual([
      'reason: Enter why they should receive it',
    ]);
    expect(refusal(() => checkOverride(list, 'conference-record', police.inviteeId, 'remove', ''))).toEqual([
      'reason: Enter why they should not receive it',
    ]);
    for (const a of [supporter, advocate, friend, interpreter])
      expect(refusal(() => checkOverride(list, 'conference-record', a.inviteeId, 'add', 'Asked for it'))[0]).toMatch(
        /^inviteeId: .* never receive the record$/,
      );
    expect(refusal(() => checkOverride(list, 'conference-record', police.inviteeId, 'add', 'Again'))).toEqual([
      'inviteeId: PC Dee already receives it',
    ]);
    expect(refusal(() => checkOverride(list, 'conference-record', younger.inviteeId, 'remove', 'No'))).toEqual([
      'inviteeId: Ben Smith does not receive it',
    ]);
    expect(checkOverride(list, 'conference-record', younger.inviteeId, 'add', '  Ben asked  ')).toBe('Ben asked');
    expect(checkOverride(list, 'conference-record', housing.inviteeId, 'add', 'Involved again')).toBe('Involved again');
  });

  it("003: under the council's decisions-only setting the conference record goes to the file alone", () => {
    const fileOnly = distributionList(input('conference-record', { distributeFullRecord: false }));
    expect(includedRecipients(fileOnly).map((e) => e.inviteeId)).toEqual([null]);
  });
});
