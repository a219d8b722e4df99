import { describe, expect, it } from 'vitest';
import { SAM, buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { BuildInput } from '../build-input.ts';
import { documentProblems, readingOrderText } from '../model.ts';

function lines(overrides: Partial<BuildInput> = {}): string[] {
  const document = buildDocument(buildInput('plan-and-core-group-letter', overrides));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

describe('002 §3.10 the plan and core group letter', () => {
  it('002 §3.10: gives each child’s plan: the actions (what, who, by when), the contingency and the review date', () => {
    const text = lines();
    const table = text.indexOf("What will happen under Sam Smith's plan");
    expect(text.slice(table, table + 10)).toEqual([
      "What will happen under Sam Smith's plan",
      'Action',
      'Who',
      'By when',
      'Attend the parenting course',
      'Jane Smith',
      '29 January 2027',
      'Visit the home every ten working days',
      'Priya Shah, social worker',
      'Ongoing',
    ]);
    expect(text).toContain("What will happen under Amy Smith's plan");
    expect(text).toContain('If the home conditions do not improve, the local authority will seek legal advice.');
    expect(text).toContain('4 March 2027');
  });

  it('002 §3.10: confirms the core group, each member once with role and agency, and the first core group date', () => {
    const text = lines();
    const table = text.indexOf('Members of the core group');
    expect(text.slice(table, table + 12)).toEqual([
      'Members of the core group',
      'Name',
      'Role',
      'Agency',
      'Jane Smith',
      'Mother',
      'Priya Shah',
      'Lead social worker',
      "Children's services",
      'Ruth Green',
      'Health visitor',
      'NHS community health',
    ]);
    expect(text.filter((t) => t === 'Ruth Green')).toHaveLength(1);
    expect(text).toContain('The first core group meeting will be on 16 December 2026.');
    expect(text).toContain('What each member of the core group will do');
    expect(text).toContain('The health visitor will weigh Amy every fortnight.');
  });

  it('002 §3.10: a child without a plan is named as having none; an action with no date is ongoing', () => {
    const facts = { ...documentFacts(), plans: documentFacts().plans.filter((p) => p.childId === SAM.id) };
    const text = lines({ facts });
    expect(text).toContain('Amy Smith does not have a plan.');
    expect(text).toContain("What will happen under Sam Smith's plan");
  });

  it('W-7 and W-6: ends with how to complain and the confidentiality wording', () => {
    const text = lines();
    expect(text).toContain('If you are unhappy with the decision, write to the complaints team within 28 days.');
    expect(text).toContain('This letter is confidential. Do not share it without the chair’s consent.');
  });
});
