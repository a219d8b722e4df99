/**
 * 003: the chair's summary: the Worries, Positives and Changes the chair recorded at the meeting, the decisions,
 * and the chair's further comments when written. Pure: no I/O.
 */
import type { BuildInput } from '../build-input.ts';
import type { Block, WrittenDocument } from '../model.ts';
import {
  arrangementsSection,
  closingSections,
  conferenceSummary,
  decisionParts,
  documentMetadata,
  documentTitle,
  freeText,
  present,
  section,
  textOr,
} from './parts.ts';

const NOT_RECORDED = 'Not recorded at the conference.';

export function buildChairsSummary(input: BuildInput): WrittenDocument {
  const { facts } = input;
  const summary = facts.summary;
  const blocks = present<Block>([
    conferenceSummary(facts, { birthDates: false }),
    arrangementsSection(input, 'Help with this document'),
    section(input, 'summary-worries', 'Worries', textOr(summary?.worries, NOT_RECORDED)),
    section(input, 'summary-positives', 'Positives', textOr(summary?.positives, NOT_RECORDED)),
    section(input, 'summary-changes', 'Changes needed', textOr(summary?.changes, NOT_RECORDED)),
    section(input, 'decisions', 'Decisions', decisionParts(facts, { equallySplit: false, siblingGroup: true })),
    freeText(input, 'chairs-comments', "The chair's further comments"),
    ...closingSections(input, 'document'),
  ]);
  return { title: documentTitle(input), metadata: documentMetadata(input), blocks };
}
