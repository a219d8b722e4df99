/**
 * Building a document from the conference (W-1, W-2; 002 §3.2, §3.5, §3.10; 003). One builder per kind, each
 * a pure function of BuildInput; every filled section and every free-text section is a section block with an
 * id, so the chair can mark it as withheld (W-3).
 */
import type { BuildInput } from './build-input.ts';
import { NEVER_WITHHELD } from './drafting.ts';
import { buildAmendmentDecisionLetter } from './builders/amendment-decision-letter.ts';
import { buildChairsSummary } from './builders/chairs-summary.ts';
import { buildConferenceRecord } from './builders/conference-record.ts';
import { buildDecisionLetter } from './builders/decision-letter.ts';
import { buildExclusionLetter } from './builders/exclusion-letter.ts';
import { buildInquorateNotes } from './builders/inquorate-notes.ts';
import { buildPlanAndCoreGroupLetter } from './builders/plan-and-core-group-letter.ts';
import type { Block, DocumentKind, WrittenDocument } from './model.ts';

const BUILDERS: Record<DocumentKind, (input: BuildInput) => WrittenDocument> = {
  'decision-letter': buildDecisionLetter,
  'plan-and-core-group-letter': buildPlanAndCoreGroupLetter,
  'chairs-summary': buildChairsSummary,
  'conference-record': buildConferenceRecord,
  'inquorate-notes': buildInquorateNotes,
  'exclusion-letter': buildExclusionLetter,
  'amendment-decision-letter': buildAmendmentDecisionLetter,
};

/**
 * The document of the input's kind. An exclusion letter needs `subjectInviteeId` to name a person the register
 * records as excluded (a NotFoundError otherwise); an amendment decision letter needs `amendment`, the request the
 * chair decided (W-5).
 */
export function buildDocument(input: BuildInput): WrittenDocument {
  return BUILDERS[input.kind](input);
}

/**
 * The blocks of a built document the chair may mark as withheld: every section with an id, at any depth, but
 * those every copy keeps (NEVER_WITHHELD).
 */
export function withholdableBlocks(document: WrittenDocument): Array<{ id: string; heading: string }> {
  const out: Array<{ id: string; heading: string }> = [];
  const visit = (blocks: readonly Block[]) => {
    for (const b of blocks) {
      if (b.type !== 'section') continue;
      if (b.id && !NEVER_WITHHELD.has(b.id)) out.push({ id: b.id, heading: b.heading });
      visit(b.blocks);
    }
  };
  visit(document.blocks);
  return out;
}
