import { describe, expect, it } from 'vitest';
import { isoDate } from '../../calendar/index.ts';
import { AMY, MOTHER_INVITEE, SAM, buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { BuildInput } from '../build-input.ts';
import { documentProblems, readingOrderText } from '../model.ts';

function lines(overrides: Partial<BuildInput> = {}): string[] {
  const document = buildDocument(buildInput('decision-letter', overrides));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

/** The letter from its greeting on: what follows the letterhead. */
function fromGreeting(text: string[]): string[] {
  const at = text.findIndex((t) => t.startsWith('Dear ') || t.startsWith('Addressed to each'));
  expect(at).toBeGreaterThan(0);
  return text.slice(at);
}

describe('W-1 the decision letter', () => {
  it('W-1: tells siblings given the same decision once: whether a plan was made, its category and the reasons', () => {
    const text = lines();
    expect(text[0]).toBe('Decision letter: Sam and Amy Smith, initial child protection conference on 4 December 2026');
    const decided = text.indexOf('What the conference decided');
    expect(text.slice(decided, decided + 7)).toEqual([
      'What the conference decided',
      'Sam and Amy Smith',
      'Decision',
      'Child protection plan needed',
      'Category',
      'Neglect',
      'The children have not had enough food or supervision at home over the last three months.',
    ]);
    expect(text.filter((t) => t === 'Child protection plan needed')).toHaveLength(1);
    expect(text[decided + 7]).toBe('Why the conference made its decision');
    expect(text).toContain('Everyone agreed the children need more help at home.');
    expect(text).toContain('The plan says what will change.');
  });

  it('W-1: tells each child their own decision when the siblings’ decisions differ', () => {
    const base = documentFacts();
    const facts = {
      ...base,
      decisions: base.decisions.map((d) =>
        d.childId === AMY.id
          ? {
              ...d,
              category: 'emotional-abuse' as const,
              categoryLabel: 'Emotional abuse',
              reasons: 'Amy has seen arguments at home.',
            }
          : d,
      ),
    };
    const text = lines({ facts });
    const sam = text.indexOf('Sam Smith');
    const amy = text.indexOf('Amy Smith');
    expect(text.slice(sam, sam + 5)).toEqual([
      'Sam Smith',
      'Decision',
      'Child protection plan needed',
      'Category',
      'Neglect',
    ]);
    expect(text.slice(amy, amy + 6)).toEqual([
      'Amy Smith',
      'Decision',
      'Child protection plan needed',
      'Category',
      'Emotional abuse',
      'Amy has seen arguments at home.',
    ]);
  });

  it('W-1: gives the outline plan, the lead social worker with their contact and the first core group date', () => {
    const text = lines();
    const plan = text.indexOf('The outline plan');
    // The siblings share a plan, so it is given once.
    expect(text.slice(plan, plan + 4)).toEqual([
      'The outline plan',
      'Attend the parenting course (Jane Smith, by 29 January 2027)',
      'Visit the home every ten working days (Priya Shah, social worker, ongoing)',
      'Your lead social worker',
    ]);
    expect(text).toContain('Visit the home every ten working days (Priya Shah, social worker, ongoing)');
    expect(text).toContain('Priya Shah, 01234 567890');
    expect(text).toContain('The first core group meeting will be on 16 December 2026.');
  });

  it('W-1: with no plan, says so and has no category, outline plan or core group', () => {
    const base = documentFacts();
    const facts = {
      ...base,
      decisions: base.decisions.map((d) => ({
        ...d,
        outcome: 'no-plan' as const,
        outcomeLabel: 'No child protection plan needed',
        category: null,
        categoryLabel: null,
      })),
      plans: [],
    };
    const text = lines({ facts });
    expect(text.filter((t) => t === 'No child protection plan needed')).toHaveLength(1);
    expect(text).toContain('Sam and Amy Smith');
    expect(text).not.toContain('Category');
    expect(text).not.toContain('The outline plan');
    expect(text.join('\n')).not.toContain('core group');
  });

  it('W-1: a child with no decision yet is said to have none, not left out', () => {
    const facts = { ...documentFacts(), decisions: documentFacts().decisions.filter((d) => d.childId === SAM.id) };
    const text = lines({ facts });
    expect(text.slice(text.indexOf(AMY.name), text.indexOf(AMY.name) + 2)).toEqual([
      'Amy Smith',
      'No decision has been recorded yet.',
    ]);
  });

  it('W-7 and W-6: says how to complain and that the letter is confidential, in the council’s wording', () => {
    const text = lines({
      wording: {
        opening: 'Opening.',
        complaints: 'You can complain about the process, the category or whether a plan was made.',
        confidentiality: 'Do not pass this letter on without the chair’s consent or a court order.',
      },
    });
    const complain = text.indexOf('If you want to complain');
    expect(text[complain + 1]).toBe('You can complain about the process, the category or whether a plan was made.');
    const confidential = text.indexOf('Keeping this letter confidential');
    expect(text[confidential + 1]).toBe('Do not pass this letter on without the chair’s consent or a court order.');
    expect(text).toContain('Eastshire County Council: Child protection conference team, 01234 500600');
  });

  it('W-1: is addressed to its recipient with the opening in paragraphs; the draft’s preview to everyone invited', () => {
    const addressed = lines({
      addressee: {
        inviteeId: MOTHER_INVITEE,
        name: 'Jane Smith',
        copy: { kind: 'parent', person: { id: MOTHER_INVITEE, name: 'Jane Smith' } },
      },
      wording: { opening: 'First paragraph.\r\n\r\nSecond paragraph.', complaints: 'C.', confidentiality: 'K.' },
    });
    expect(fromGreeting(addressed).slice(0, 3)).toEqual(['Dear Jane Smith', 'First paragraph.', 'Second paragraph.']);
    const preview = lines();
    expect(fromGreeting(preview)[0]).toBe('Addressed to each person invited to or attending the conference');
    expect(preview.join('\n')).not.toContain('Dear ');
    const fileCopy = lines({ addressee: { inviteeId: null, name: "The children's file", copy: { kind: 'full' } } });
    expect(fromGreeting(fileCopy)[0]).toBe('Addressed to each person invited to or attending the conference');
  });

  it('W-4: shows what was arranged under "Help with this letter" only when something was', () => {
    const arranged = lines({
      addressee: { inviteeId: MOTHER_INVITEE, name: 'Jane Smith', copy: { kind: 'full' } },
      arrangements: ['An interpreter who speaks Polish will go through this letter with you.'],
    });
    // First after the opening, so the reader knows before the rest of the letter.
    const help = arranged.indexOf('Help with this letter');
    expect(help).toBe(arranged.indexOf('Dear Jane Smith') + 3);
    expect(arranged[help + 1]).toBe('An interpreter who speaks Polish will go through this letter with you.');
    expect(lines()).not.toContain('Help with this letter');
  });

  it('W-1: greets the addressee once, the salutation at the start of the council’s wording giving way', () => {
    const wording = {
      opening:
        'Dear each person invited to or attending the conference\n\nWe are writing to tell you what was decided.',
      complaints: 'C.',
      confidentiality: 'K.',
    };
    const preview = lines({ wording });
    expect(fromGreeting(preview).slice(0, 2)).toEqual([
      'Addressed to each person invited to or attending the conference',
      'We are writing to tell you what was decided.',
    ]);
    const addressee = { inviteeId: MOTHER_INVITEE, name: 'Jane Smith', copy: { kind: 'full' as const } };
    const addressed = lines({
      addressee,
      wording: { ...wording, opening: 'Dear Jane Smith\nWe are writing to tell you what was decided.' },
    });
    expect(fromGreeting(addressed).slice(0, 2)).toEqual([
      'Dear Jane Smith',
      'We are writing to tell you what was decided.',
    ]);
    expect(addressed.filter((t) => t.startsWith('Dear'))).toHaveLength(1);
  });

  it('W-1: comes from the council, dated the day it is issued, and is signed by the chair for the council', () => {
    const issued = lines({
      issuedOn: isoDate(2026, 12, 7),
      addressee: { inviteeId: MOTHER_INVITEE, name: 'Jane Smith', copy: { kind: 'full' } },
    });
    expect(issued.slice(1, fromGreetingAt(issued))).toEqual([
      'From',
      'Eastshire County Council',
      'Date',
      '7 December 2026',
      'Contact',
      'Child protection conference team, 01234 500600',
      'Conference chair',
      'Helen Ward',
    ]);
    const close = issued.indexOf('Yours sincerely');
    expect(issued[close + 1]).toBe(
      'Helen Ward\nChair of the child protection conference, for Eastshire County Council',
    );
    expect(close).toBeLessThan(issued.indexOf('If you want to complain'));
    // The preview and the approved document are not dated: only a copy issued is.
    expect(lines()).toContain('The date it is issued');
  });
});

function fromGreetingAt(text: string[]): number {
  return text.findIndex((t) => t.startsWith('Dear ') || t.startsWith('Addressed to each'));
}
