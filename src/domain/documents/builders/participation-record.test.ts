import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../calendar/index.ts';
import { FATHER_INVITEE, SAM, buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import type { DocumentFacts } from '../facts.ts';
import { documentProblems, readingOrderText } from '../model.ts';

const d = parseIsoDate;

function lines(facts: DocumentFacts): string[] {
  const document = buildDocument(buildInput('conference-record', { facts }));
  expect(documentProblems(document)).toEqual([]);
  return readingOrderText(document);
}

function withParticipation(): DocumentFacts {
  const base = documentFacts();
  return {
    ...base,
    children: base.children.map((c) =>
      c.id === SAM.id
        ? {
            ...c,
            attendance: {
              decision: 'Not to attend',
              partArrangements: null,
              viewsConveyed: 'A meeting with the chair before the conference. He drew a picture of home.',
            },
          }
        : {
            ...c,
            views: null,
            attendance: {
              decision: 'To attend part of the conference',
              partArrangements: 'Amy joins for the plan, with her advocate.',
              viewsConveyed: null,
            },
          },
    ),
    attendees: base.attendees.map((a) =>
      a.inviteeId === FATHER_INVITEE
        ? {
            ...a,
            exclusion: {
              ...a.exclusion!,
              toldOrally: { on: d('2026-12-04'), by: 'Helen Ward' },
              toldInWriting: null,
            },
          }
        : a,
    ),
    reportsReceived: [
      { from: 'Hillside Primary', receivedOn: d('2026-12-01') },
      { from: 'Jane Smith (their own report)', receivedOn: d('2026-12-02') },
    ],
  };
}

describe('002 §3.2: the conference record shows how the family took part', () => {
  it('002 §3.2: each child’s attendance decision and how their views reached the conference, beside their views', () => {
    const text = lines(withParticipation());
    const at = text.indexOf("The children's views");
    expect(text.slice(at, text.indexOf('Summary of discussion'))).toEqual([
      "The children's views",
      "Sam Smith's views",
      'Decision on attending',
      'Not to attend',
      'How their views reached the conference',
      'A meeting with the chair before the conference. He drew a picture of home.',
      'Sam said he likes school.',
      "Amy Smith's views",
      'Decision on attending',
      'To attend part of the conference',
      'Which part and how',
      'Amy joins for the plan, with her advocate.',
      'How their views reached the conference',
      'Not recorded',
      'Their views in their own words are not on the record.',
    ]);
  });

  it('002 §3.2: the reports received list the parent’s own report by her name and date, beside the agencies’', () => {
    const text = lines(withParticipation());
    const at = text.indexOf('Reports received');
    expect(text.slice(at, at + 8)).toEqual([
      'Reports received',
      'Reports received for the conference',
      'From',
      'Received',
      'Hillside Primary',
      '1 December 2026',
      'Jane Smith (their own report)',
      '2 December 2026',
    ]);
    expect(at).toBeLessThan(text.indexOf('Essential facts'));
    expect(lines(documentFacts())).not.toContain('Reports received');
  });

  it('002 §3.2: an exclusion gives the criterion and when and by whom the reasons were given orally and in writing', () => {
    const text = lines(withParticipation());
    const at = text.indexOf('Exclusions from the conference');
    expect(text.slice(at, at + 12)).toEqual([
      'Exclusions from the conference',
      'Tom Smith',
      'Excluded from',
      'Part of the conference',
      'Reason',
      'Mr Smith was excluded while the police shared information about an ongoing investigation.',
      'Reasons given orally',
      'On 4 December 2026, by Helen Ward',
      'Reasons given in writing',
      'Not yet given in writing',
      'How their views were heard',
      'The chair met Mr Smith before the conference and read his written views to the conference.',
    ]);
    const facts = withParticipation();
    const written = {
      ...facts,
      attendees: facts.attendees.map((a) =>
        a.exclusion
          ? { ...a, exclusion: { ...a.exclusion, toldInWriting: { on: d('2026-12-07'), by: 'Priya Shah' } } }
          : a,
      ),
    };
    expect(lines(written)).toContain('On 7 December 2026, by Priya Shah');
  });
});

describe('002 §1.3, §2.2: the conference record says why the conference was held', () => {
  it('002 §1.3: a pre-birth conference’s record lists its grounds before the reasons for the conference', () => {
    const base = documentFacts();
    const text = lines({
      ...base,
      conference: {
        ...base.conference,
        type: 'pre-birth',
        typeLabel: 'Pre-birth child protection conference',
        preBirthGrounds: [
          'Earlier children were removed from the family through court proceedings, and the family is known to children’s social care',
        ],
      },
    });
    const at = text.indexOf('Grounds for holding a pre-birth conference');
    expect(text[at + 1]).toBe(
      'Earlier children were removed from the family through court proceedings, and the family is known to children’s social care',
    );
    expect(at).toBeLessThan(text.indexOf('Reasons for the conference'));
    expect(lines(documentFacts())).not.toContain('Grounds for holding a pre-birth conference');
  });

  it('002 §2.2: a review brought forward gives the reason; a review on time has no such section', () => {
    const base = documentFacts();
    const review = { ...base.conference, type: 'review' as const, typeLabel: 'Review child protection conference' };
    const text = lines({
      ...base,
      conference: { ...review, broughtForwardReason: 'There has been a new incident of abuse' },
    });
    const at = text.indexOf('Why the review was brought forward');
    expect(text[at + 1]).toBe('There has been a new incident of abuse');
    expect(lines({ ...base, conference: { ...review, broughtForwardReason: null } })).not.toContain(
      'Why the review was brought forward',
    );
  });
});
