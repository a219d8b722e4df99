import { describe, expect, it } from 'vitest';
import { computedCalendar as cal, d } from '../calendar/test-support.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import {
  amendmentDueDate,
  changesSection,
  checkAmendmentDecisions,
  checkAmendmentPoints,
  compareVersions,
  isLateRequest,
  needsNewVersion,
  withChangesSection,
} from './amendments.ts';
import { nextDraftStatus } from './drafting.ts';
import type { WrittenDocument } from './model.ts';
import { deriveVariant } from './variants.ts';
import type { Withholding } from './withholding.ts';

function fields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((p) => p.field);
    throw err;
  }
  throw new Error('expected the check to refuse');
}

function record(sections: Record<string, string[]>, version = 1): WrittenDocument {
  return {
    title: 'Conference record',
    metadata: {
      conferenceId: 'c',
      conferenceDate: d('2026-12-01'),
      children: [{ id: 'a', name: 'Ava Smith' }],
      kind: 'conference-record',
      version,
    },
    blocks: [
      { type: 'section', id: 'attendance', heading: 'Who attended', blocks: [{ type: 'paragraph', text: 'Everyone' }] },
      ...Object.entries(sections).map(([id, paragraphs]) => ({
        type: 'section' as const,
        id,
        heading: id,
        blocks: paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
      })),
    ],
  };
}

describe('T-8: the due date of an amendment request', () => {
  it('T-8: 10 working days from receipt, skipping Christmas Day, the Boxing Day substitute and New Year’s Day', () => {
    // Received Wed 23 Dec 2026: 25 Dec (Fri), 28 Dec (Mon, for Boxing Day on a Saturday) and 1 Jan 2027 are not working days.
    expect(amendmentDueDate(d('2026-12-23'), cal)).toBe('2027-01-11');
  });

  it('T-8: 10 working days from receipt, skipping Good Friday and Easter Monday', () => {
    // Received Thu 2 Apr 2026: Good Friday 3 Apr and Easter Monday 6 Apr are skipped.
    expect(amendmentDueDate(d('2026-04-02'), cal)).toBe('2026-04-20');
  });

  it('T-8: a request on the due day is in time; a day later it is late', () => {
    const due = amendmentDueDate(d('2026-12-23'), cal);
    expect(isLateRequest(d('2027-01-11'), due)).toBe(false);
    expect(isLateRequest(d('2027-01-12'), due)).toBe(true);
    expect(isLateRequest(d('2026-12-24'), due)).toBe(false);
  });
});

describe('W-5: the points of a request and the chair’s decisions', () => {
  it('W-5: each point names a section of the document and what is to change', () => {
    expect(
      checkAmendmentPoints('conference-record', [
        { sectionId: 'essential-facts', originalText: ' The father was present. ', requestedChange: 'He was not.' },
      ]),
    ).toEqual([
      { sectionId: 'essential-facts', originalText: 'The father was present.', requestedChange: 'He was not.' },
    ]);
    expect(
      fields(() =>
        checkAmendmentPoints('conference-record', [
          { sectionId: 'attendance', requestedChange: 'x' },
          { sectionId: 'essential-facts', requestedChange: '  ' },
        ]),
      ),
    ).toEqual(['points[0].sectionId', 'points[1].requestedChange']);
    expect(fields(() => checkAmendmentPoints('conference-record', []))).toEqual(['points[0].requestedChange']);
  });

  it('W-5: the chair decides every point with reasons; any accepted point makes a new version', () => {
    expect(
      fields(() =>
        checkAmendmentDecisions(2, [{ decision: 'accepted', reasons: 'Agreed' }, { decision: 'maybe' as never }]),
      ),
    ).toEqual(['decisions[1].decision', 'decisions[1].reasons']);
    const refused = checkAmendmentDecisions(1, [{ decision: 'not-accepted', reasons: 'The record is accurate' }]);
    expect(needsNewVersion(refused)).toBe(false);
    const part = checkAmendmentDecisions(2, [
      { decision: 'not-accepted', reasons: 'Accurate' },
      { decision: 'accepted-in-part', reasons: 'The date was wrong' },
    ]);
    expect(needsNewVersion(part)).toBe(true);
  });

  it('W-5: only an amendment takes an issued document back to drafting for its next issue', () => {
    expect(nextDraftStatus('issued', { type: 'amend' })).toBe('drafting');
    expect(() => nextDraftStatus('drafting', { type: 'amend' })).toThrow('Only an issued document can be amended');
    expect(() => nextDraftStatus('issued', { type: 'edit' })).toThrow();
  });
});

describe('W-5: what changed between versions', () => {
  it('W-5: compares the free-text sections paragraph by paragraph, in the order of the document’s sections', () => {
    const before = record({
      'essential-facts': ['The father attended.', 'The home was cold.'],
      'discussion-summary': ['Police shared concerns.'],
      'family-composition': ['Ava lives with her mother.'],
    });
    const after = record({
      'essential-facts': ['The father did not attend.', 'The home was cold.'],
      'discussion-summary': ['Police shared concerns.'],
      'family-composition': ['Ava lives with her mother.'],
      'information-withheld': ['Nothing was withheld.'],
    });
    expect(compareVersions('conference-record', before, after)).toEqual([
      {
        sectionId: 'essential-facts',
        label: 'Essential facts',
        change: 'changed',
        removed: ['The father attended.'],
        added: ['The father did not attend.'],
      },
      {
        sectionId: 'information-withheld',
        label: 'Information withheld from the family and the chair’s decision on it',
        change: 'added',
        removed: [],
        added: ['Nothing was withheld.'],
      },
    ]);
    expect(compareVersions('conference-record', before, before)).toEqual([]);
  });

  it('W-5, W-3: "Changes in this version" comes first, lists each accepted point, and keeps a withheld section’s change out of the copy it is withheld from', () => {
    const before = record({ 'essential-facts': ['Old fact.'], 'discussion-summary': ['Police said X.'] });
    const after = record({ 'essential-facts': ['New fact.'], 'discussion-summary': ['Police said Y.'] }, 2);
    const withholdings: Record<string, Withholding[]> = {
      'discussion-summary': [{ from: { kind: 'family' }, reason: 'third-party' }],
    };
    const section = changesSection(
      'conference-record',
      2,
      [
        {
          sectionId: 'essential-facts',
          requestedChange: 'The fact is new',
          decision: 'accepted',
          reasons: 'Agreed',
          requestedBy: 'Jane Smith',
        },
      ],
      compareVersions('conference-record', before, after),
      withholdings,
    );
    const doc = withChangesSection(after, section);
    expect(doc.blocks[0]).toMatchObject({ type: 'section', heading: 'Changes in this version' });
    const text = JSON.stringify(doc.blocks[0]);
    expect(text).toContain('This is version 2 of this document. It replaces version 1');
    // Written for families: no rule numbers.
    expect(text).not.toMatch(/\b[WTAPRQ]-\d+\b/);
    expect(text).toContain('The fact is new');
    expect(text).toContain('Old fact.');
    expect(text).toContain('New fact.');
    expect(text).toContain('Police said X.');
    const parent = deriveVariant(doc, { kind: 'parent', person: { id: 'p', name: 'Jane Smith' } });
    expect(JSON.stringify(parent.document.blocks[0])).not.toContain('Police said X.');
    expect(JSON.stringify(parent.document.blocks[0])).toContain('New fact.');
  });
});
