// A conference record (W-2, 002 §3.10) to render in tests and the benchmark: every kind of block, a section
// withheld from the family (police information), a paragraph confidential to one parent and a discussion
// whose length sets the number of pages.
import { parseIsoDate } from '../../src/domain/calendar/index.ts';
import type { Block, FamilyMember, WrittenDocument } from '../../src/domain/documents/index.ts';

export const MOTHER: FamilyMember = { id: '0b7e5f1c-3a52-4c1e-9d2a-6f0c1a2b3c4d', name: 'Jane Smith' };
export const FATHER: FamilyMember = { id: '1c8f6a2d-4b63-4d2f-8e3b-7a1d2b3c4d5e', name: 'Tom Smith' };
export const CHILD: FamilyMember = { id: '2d9a7b3e-5c74-4e3a-9f4c-8b2e3c4d5e6f', name: 'Amy Smith' };

/** Words that appear only in the withheld parts, so a test can look for them in each copy. */
export const POLICE_WORDS = 'Operation Larkspur';
export const CONFIDENTIAL_WORDS = 'new address in Hastings';

const DISCUSSION = [
  'The social worker described the home conditions seen on the three most recent visits, including the state of the kitchen and the children’s bedrooms, and the steps the family had already taken since the strategy discussion.',
  'The health visitor said Amy’s weight had been checked twice and was now following her centile line, and that the family had attended every appointment offered since the referral.',
  'The school reported that Amy’s attendance was 82% this term, with most absences on Mondays; staff had noticed she was often tired and hungry at the start of the week.',
  'Ms Smith said that she wanted to work with the plan and asked for help with the cost of childcare so that she could attend the parenting course in the evenings.',
];

/** Discussion paragraphs: `count` of them, cycling through four typical contributions, each numbered. */
export function discussion(count: number): Block[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'paragraph' as const,
    text: `${i + 1}. ${DISCUSSION[i % DISCUSSION.length]}`,
  }));
}

/**
 * A conference record with `discussionParagraphs` paragraphs of discussion: 12 give three A4 pages in normal
 * print, 170 give twenty (checked by the PDF tests).
 */
export function conferenceRecord(discussionParagraphs = 12): WrittenDocument {
  return {
    title: 'Record of the initial child protection conference for Amy Smith',
    metadata: {
      conferenceId: '3e0b8c4f-6d85-4f4b-a05d-9c3f4d5e6f70',
      conferenceDate: parseIsoDate('2026-11-23'),
      children: [{ id: CHILD.id, name: CHILD.name }],
      kind: 'conference-record',
      version: 1,
    },
    blocks: [
      {
        type: 'summary',
        rows: [
          { key: 'Child', value: 'Amy Smith, born 4 March 2019' },
          { key: 'Date of conference', value: '23 November 2026' },
          { key: 'Chair', value: 'Priya Patel, independent chair' },
          { key: 'Lead social worker', value: 'Sam Jones, 01234 567890' },
        ],
      },
      {
        type: 'section',
        heading: 'Present and apologies',
        blocks: [
          {
            type: 'table',
            caption: 'People at the conference',
            head: ['Name', 'Role', 'Agency'],
            rows: [
              ['Priya Patel', 'Independent chair', 'Children’s services'],
              ['Sam Jones', 'Social worker', 'Children’s services'],
              ['Ruth Green', 'Health visitor', 'NHS community health'],
              ['Mark Brown', 'Designated safeguarding lead', 'St Mary’s Primary School'],
              ['Jane Smith', 'Mother', ''],
            ],
          },
          { type: 'heading', level: 3, text: 'Apologies' },
          { type: 'list', items: ['DC Alan White, police (report sent)', 'Dr Lee, GP (report sent)'] },
        ],
      },
      {
        type: 'section',
        heading: 'Information from the police',
        id: 'police-information',
        withheld: [
          {
            from: { kind: 'family' },
            reason: 'police-or-marac',
            explanation: 'An investigation is under way and sharing it could prejudice it',
          },
        ],
        blocks: [
          {
            type: 'paragraph',
            text: `The police shared that ${POLICE_WORDS} is looking into reports about an adult who visits the home.`,
          },
        ],
      },
      {
        type: 'section',
        heading: 'Summary of discussion',
        blocks: [
          ...discussion(discussionParagraphs),
          {
            type: 'paragraph',
            id: 'mothers-address',
            text: `Ms Smith has moved to a ${CONFIDENTIAL_WORDS} and asked that it is not shared with Mr Smith.`,
            withheld: [{ from: { kind: 'people', people: [FATHER] }, reason: 'confidential-to-parent' }],
          },
        ],
      },
      {
        type: 'section',
        heading: 'Decision',
        blocks: [
          {
            type: 'paragraph',
            text: 'Amy is to be the subject of a child protection plan under the category of neglect.',
          },
          {
            type: 'list',
            numbered: true,
            items: [
              'Ms Smith will attend the parenting course starting on 5 January 2027.',
              'The social worker will visit at least every 10 working days.',
              'The school will tell the social worker the same day if Amy is absent.',
            ],
          },
        ],
      },
    ],
  };
}
