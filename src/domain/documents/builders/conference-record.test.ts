import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../calendar/index.ts';
import { AMY, FATHER_INVITEE, buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { BuildInput } from '../build-input.ts';
import type { DocumentFacts } from '../facts.ts';
import { documentProblems, readingOrderText } from '../model.ts';
import { deriveVariant } from '../variants.ts';

function lines(overrides: Partial<BuildInput> = {}): string[] {
  const document = buildDocument(buildInput('conference-record', overrides));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

function withConference(conference: Partial<DocumentFacts['conference']>): Partial<BuildInput> {
  const facts = documentFacts();
  return { facts: { ...facts, conference: { ...facts.conference, ...conference } } };
}

describe('W-2 the conference record', () => {
  it('002 §3.10, §1.1: family composition gives each child’s legal status, nationality and immigration status and each family member’s, then the typed text', () => {
    const facts = documentFacts();
    const text = lines({
      facts: {
        ...facts,
        children: facts.children.map((c, i) =>
          i === 0 ? { ...c, legalStatus: 'Interim care order', nationality: 'British', immigrationStatus: null } : c,
        ),
        attendees: facts.attendees.map((a) =>
          a.name === 'Jane Smith' ? { ...a, nationality: 'Polish', immigrationStatus: 'Settled status' } : a,
        ),
      },
    });
    const at = text.indexOf('Family composition and legal status');
    const section = text.slice(at, text.indexOf('Reasons for the conference'));
    expect(section).toEqual(
      expect.arrayContaining(['Sam Smith', 'Interim care order', 'British', 'Jane Smith', 'Polish', 'Settled status']),
    );
    expect(section.indexOf('Sam Smith')).toBeLessThan(section.indexOf('Amy Smith'));
    expect(section.filter((t) => t === 'Not yet recorded').length).toBeGreaterThan(0);
    expect(section.at(-1)).toBe('Sam and Amy live with their mother. There are no court orders.');
  });

  it('W-2: lists who was present and who sent apologies, with roles and agencies, and who else was invited', () => {
    const text = lines();
    const present = text.indexOf('Present');
    expect(text.slice(present, present + 7)).toEqual([
      'Present',
      'Name',
      'Role',
      'Agency',
      'Jane Smith',
      'Mother of Sam and Amy (parental responsibility)',
      'Priya Shah',
    ]);
    const apologies = text.indexOf('Apologies');
    expect(text.slice(apologies + 4, apologies + 7)).toEqual([
      'DC Alan White',
      'Public protection officer',
      'Sussex Police',
    ]);
    const others = text.indexOf('Invited but not present');
    expect(text.slice(others + 5, others + 8)).toEqual([
      'Tom Smith',
      'Father of Sam and Amy (parental responsibility)',
      'Excluded',
    ]);
    const facts = documentFacts();
    const unrecorded = { ...facts, attendees: facts.attendees.map((a) => ({ ...a, attendance: 'invited' as const })) };
    const none = lines({ facts: unrecorded });
    expect(none).toContain('No one is recorded as present.');
    expect(none.filter((t) => t === 'Not recorded')).toHaveLength(facts.attendees.length);
  });

  it('W-2, 002 §3.10: holds the minute taker’s sections in order: composition, reasons, facts, discussion', () => {
    const text = lines();
    const order = [
      'Family composition and legal status',
      'Sam and Amy live with their mother. There are no court orders.',
      'Reasons for the conference',
      'The school reported that the children were hungry and unsupervised.',
      'Essential facts',
      'Three referrals were made in the last six months.',
      'Summary of discussion',
      'Each agency shared what it had seen.',
    ].map((t) => text.indexOf(t));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('W-2, T-1: says why the conference was late only when a reason was recorded', () => {
    expect(lines()).not.toContain('Why the conference was held later than its due date');
    const late = lines(withConference({ lateReason: 'The family asked for a later date so the father could attend.' }));
    const at = late.indexOf('Why the conference was held later than its due date');
    expect(late[at + 1]).toBe('The family asked for a later date so the father could attend.');
  });

  it('W-2, D-4: gives each decision with its reasons, every agency’s view and dissent, and an equal split', () => {
    const facts = documentFacts();
    const split = {
      ...facts,
      decisions: facts.decisions.map((d) => (d.childId === AMY.id ? { ...d, equallySplit: true } : d)),
    };
    const text = lines({ facts: split });
    expect(text).toContain('Decisions and reasons');
    expect(
      text.filter((t) => t === 'The agencies were equally split on this decision, so the chair made the decision.'),
    ).toHaveLength(1);
    const views = text.indexOf("Agencies' views on the decision for Sam Smith");
    // An agency that agrees without comment has an empty cell, which carries no text.
    expect(text.slice(views + 4, views + 11)).toEqual([
      "Children's services",
      'Agrees',
      'NHS community health',
      'Agrees',
      'Hillside Primary',
      'Disagrees',
      'The school saw improvement this term.',
    ]);
    expect(text).toContain("Agencies' views on the decision for Amy Smith");
  });

  it('W-2: gives the plan, lead social worker, core group and its first date, and the next conference', () => {
    const text = lines();
    expect(text).toContain("What will happen under Sam Smith's plan");
    expect(text).toContain('Priya Shah, 01234 567890');
    expect(text).toContain('Members of the core group');
    expect(text).toContain('First core group meeting: 16 December 2026.');
    expect(text).toContain('The next conference will be on 4 March 2027.');
    expect(lines(withConference({ nextConferenceDate: null }))).toContain('No further conference has been set.');
  });

  it('002 §3.2: records each exclusion, how much, why, and how the excluded person’s views were heard', () => {
    const text = lines();
    const at = text.indexOf('Exclusions from the conference');
    expect(text.slice(at, at + 8)).toEqual([
      'Exclusions from the conference',
      'Tom Smith',
      'Excluded from',
      'Part of the conference',
      'Reason',
      'Mr Smith was excluded while the police shared information about an ongoing investigation.',
      'How their views were heard',
      'The chair met Mr Smith before the conference and read his written views to the conference.',
    ]);
    const facts = documentFacts();
    const none = { ...facts, attendees: facts.attendees.filter((a) => a.inviteeId !== FATHER_INVITEE) };
    expect(lines({ facts: none })).not.toContain('Exclusions from the conference');
  });

  it('002 §3.2: records information withheld from the family and the chair’s decision, only when written', () => {
    const text = lines();
    expect(text).toContain('The police information was not shared with Mr Smith; the chair agreed.');
    const { 'information-withheld': _left, ...rest } = buildInput('conference-record').sections;
    expect(lines({ sections: rest }).join('\n')).not.toContain('Information withheld from the family');
  });

  it('R-2: includes the recording’s explanatory statements; 002 §3.3: the children’s views', () => {
    const text = lines();
    const at = text.indexOf('About the recording of this conference');
    expect(text[at + 1]).toBe(
      'The conference was recorded with everyone’s knowledge; the recording is kept for a year.',
    );
    expect(lines({ facts: { ...documentFacts(), recordingStatements: [] } })).not.toContain(
      'About the recording of this conference',
    );
    const views = text.indexOf("The children's views");
    expect(text.slice(views, views + 3)).toEqual([
      "The children's views",
      "Sam Smith's views",
      'Sam said he likes school.',
    ]);
  });

  it('W-2: a pre-birth child is described by the expected date of delivery', () => {
    const facts = documentFacts();
    const preBirth = {
      ...facts,
      children: [{ ...facts.children[0]!, dateOfBirth: null, expectedDeliveryDate: parseIsoDate('2027-02-01') }],
    };
    expect(lines({ facts: preBirth })).toContain('Sam Smith, expected 1 February 2027');
    expect(lines()).toContain('Sam Smith, born 2 May 2018\nAmy Smith, born 14 September 2021');
  });

  it('W-3: withholding the essential facts by id leaves them out of the father’s copy only', () => {
    const father = { id: FATHER_INVITEE, name: 'Tom Smith' };
    const document = buildDocument(
      buildInput('conference-record', {
        withholdings: {
          'essential-facts': [{ from: { kind: 'people', people: [father] }, reason: 'confidential-to-parent' }],
        },
      }),
    );
    const fathers = readingOrderText(deriveVariant(document, { kind: 'parent', person: father }).document);
    const mothers = readingOrderText(
      deriveVariant(document, { kind: 'parent', person: { id: 'mother', name: 'Jane Smith' } }).document,
    );
    expect(fathers).not.toContain('Essential facts');
    expect(fathers).not.toContain('Three referrals were made in the last six months.');
    expect(mothers).toContain('Three referrals were made in the last six months.');
  });

  it('W-4: shows what was arranged for the recipient under "Help with this document" only when something was', () => {
    const text = lines({ arrangements: ['This copy is in large print (18 point).'] });
    const help = text.indexOf('Help with this document');
    expect(text[help + 1]).toBe('This copy is in large print (18 point).');
    expect(lines()).not.toContain('Help with this document');
  });
});
