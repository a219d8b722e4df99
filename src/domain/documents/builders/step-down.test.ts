import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../calendar/index.ts';
import { AMY, SAM, buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { DocumentKind } from '../model.ts';
import { documentProblems, readingOrderText } from '../model.ts';
import type { DocumentFacts } from '../facts.ts';

const d = parseIsoDate;

function lines(kind: DocumentKind, facts: DocumentFacts): string[] {
  const document = buildDocument(buildInput(kind, { facts }));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

/** The lines of the section headed `heading`, up to the next heading in `next`. */
function sectionLines(text: string[], heading: string, next: string): string[] {
  const at = text.indexOf(heading);
  expect(at, heading).toBeGreaterThan(0);
  return text.slice(at, text.indexOf(next, at));
}

/** A review on 4 December 2026: Sam's plan ends, stepping down to a team around the child; Amy's continues. */
function reviewEndingSamsPlan(): DocumentFacts {
  const base = documentFacts();
  return {
    ...base,
    conference: { ...base.conference, type: 'review', typeLabel: 'Review child protection conference' },
    decisions: base.decisions.map((dec) =>
      dec.childId === SAM.id
        ? {
            ...dec,
            outcome: 'plan-ends',
            outcomeLabel: 'Child protection plan ends',
            category: null,
            categoryLabel: null,
          }
        : { ...dec, outcome: 'plan-continues', outcomeLabel: 'Child protection plan continues' },
    ),
    plans: base.plans.map((p) =>
      p.childId === SAM.id
        ? {
            ...p,
            actions: [],
            coreGroup: [],
            contingencyPlan: null,
            nextReviewDate: null,
            firstCoreGroupDate: null,
            familyMeetingDate: d('2026-12-11'),
          }
        : p,
    ),
    stepDowns: [
      {
        childId: SAM.id,
        kindLabel: 'Team around the child plan',
        leadProfessional: 'Mark Brown, designated safeguarding lead, Hillside Primary',
        services: 'Breakfast club every school day and the school nurse fortnightly.',
        firstMeetingDate: d('2026-12-15'),
      },
    ],
  };
}

/** An initial conference on 4 December 2026 that decided neither child needs a plan: an outline child in need plan. */
function initialWithNoPlan(stepDowns: DocumentFacts['stepDowns']): DocumentFacts {
  const base = documentFacts();
  return {
    ...base,
    decisions: base.decisions.map((dec) => ({
      ...dec,
      outcome: 'no-plan' as const,
      outcomeLabel: 'No child protection plan needed',
      category: null,
      categoryLabel: null,
    })),
    plans: [],
    conference: { ...base.conference, nextConferenceDate: null },
    stepDowns,
  };
}

const CHILD_IN_NEED = {
  kindLabel: 'Child in need plan',
  leadProfessional: 'Priya Shah, social worker, Children’s services',
  services: 'Family support worker weekly; the health visitor continues.',
  firstMeetingDate: null,
};

describe('002 §3.8, §3.9: the written record shows the plan a child steps down to', () => {
  it('002 §3.9: the record shows the team around the child plan of a child whose plan ends, with the family meeting date, and the continuing plan of the other', () => {
    const text = lines('conference-record', reviewEndingSamsPlan());
    const plan = sectionLines(text, 'The child protection plan', 'Child in need or team around the child plan');
    expect(plan).toContain("Sam Smith's child protection plan ends.");
    expect(plan).toContain("What will happen under Amy Smith's plan");
    expect(plan).not.toContain("What will happen under Sam Smith's plan");
    const stepDown = sectionLines(text, 'Child in need or team around the child plan', 'Lead social worker');
    expect(stepDown).toEqual([
      'Child in need or team around the child plan',
      'Sam Smith',
      'Plan',
      'Team around the child plan',
      'Lead professional',
      'Mark Brown, designated safeguarding lead, Hillside Primary',
      'Services that continue',
      'Breakfast club every school day and the school nurse fortnightly.',
      'First meeting of the team with the family and child',
      '15 December 2026',
      'The lead social worker will meet the child and family on 11 December 2026 to confirm the plan and how it will be carried out and reviewed.',
    ]);
    expect(stepDown).not.toContain('Amy Smith');
  });

  it('002 §3.8: the record and the decision letter show the outline child in need plan when an initial conference makes no plan', () => {
    const facts = initialWithNoPlan([
      { ...CHILD_IN_NEED, childId: SAM.id },
      { ...CHILD_IN_NEED, childId: AMY.id },
    ]);
    const record = lines('conference-record', facts);
    expect(sectionLines(record, 'The child protection plan', 'Child in need or team around the child plan')).toEqual([
      'The child protection plan',
      'Sam Smith does not need a child protection plan.',
      'Amy Smith does not need a child protection plan.',
    ]);
    const outline = sectionLines(record, 'Child in need or team around the child plan', 'Lead social worker');
    expect(outline.filter((t) => t === 'Child in need plan')).toHaveLength(2);
    expect(outline).toContain('Family support worker weekly; the health visitor continues.');
    expect(outline.join('\n')).not.toMatch(/First meeting|will meet the child and family/);

    const letter = lines('decision-letter', facts);
    const support = sectionLines(letter, 'The support that continues', 'Yours sincerely');
    expect(support.slice(0, 8)).toEqual([
      'The support that continues',
      'Sam Smith',
      'Plan',
      'Child in need plan',
      'Lead professional',
      'Priya Shah, social worker, Children’s services',
      'Services that continue',
      'Family support worker weekly; the health visitor continues.',
    ]);
    expect(support).toContain('Amy Smith');
  });

  it('002 §3.8: a child stepping down whose outline plan is not recorded yet is said so, not left out', () => {
    const text = lines('decision-letter', initialWithNoPlan([{ ...CHILD_IN_NEED, childId: SAM.id }]));
    const support = sectionLines(text, 'The support that continues', 'Yours sincerely');
    expect(support.slice(support.indexOf('Amy Smith'))).toEqual([
      'Amy Smith',
      'The outline plan has not been recorded yet.',
    ]);
  });

  it('002 §3.9: the decision letter for a plan that ends gives the date the lead social worker meets the family', () => {
    const text = lines('decision-letter', reviewEndingSamsPlan());
    const support = sectionLines(text, 'The support that continues', 'Your lead social worker');
    expect(support).toContain('Team around the child plan');
    expect(support).toContain(
      'The lead social worker will meet the child and family on 11 December 2026 to confirm the plan and how it will be carried out and reviewed.',
    );
  });

  it('002 §3.10: a conference that keeps every child’s plan has no step-down section', () => {
    expect(lines('conference-record', documentFacts())).not.toContain('Child in need or team around the child plan');
    expect(lines('decision-letter', documentFacts())).not.toContain('The support that continues');
  });
});
