/**
 * 002 §3.10: "Family composition and legal status of the children" in the conference record: each child's legal
 * status, nationality and immigration status and each family member's nationality and immigration status as
 * recorded on the family record (002 §1.1), then what the chair wrote about the household. Pure: no I/O.
 */
import type { BuildInput } from '../build-input.ts';
import type { DocumentFacts } from '../facts.ts';
import type { Block, SectionBlock } from '../model.ts';
import { freeText, section } from './parts.ts';

const NOT_RECORDED = 'Not yet recorded';

function childrenTable(facts: DocumentFacts): Block {
  return {
    type: 'table',
    caption: 'The children',
    head: ['Child', 'Legal status', 'Nationality', 'Immigration status'],
    rows: facts.children.map((c) => [
      c.name,
      c.legalStatus ?? NOT_RECORDED,
      c.nationality ?? NOT_RECORDED,
      c.immigrationStatus ?? NOT_RECORDED,
    ]),
  };
}

function familyTable(facts: DocumentFacts): Block | null {
  const family = facts.attendees.filter((a) => a.kind === 'family-member');
  if (family.length === 0) return null;
  return {
    type: 'table',
    caption: 'Family members invited',
    head: ['Name', 'Relationship', 'Nationality', 'Immigration status'],
    rows: family.map((a) => [a.name, a.role, a.nationality ?? NOT_RECORDED, a.immigrationStatus ?? NOT_RECORDED]),
  };
}

/** The section: the recorded facts first, then the chair's own words on the household. */
export function familyComposition(input: BuildInput): SectionBlock {
  const written = freeText(input, 'family-composition')!;
  const family = familyTable(input.facts);
  return section(input, 'family-composition', written.heading, [
    childrenTable(input.facts),
    ...(family ? [family] : []),
    ...written.blocks,
  ]);
}
