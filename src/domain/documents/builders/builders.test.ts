import { describe, expect, it } from 'vitest';
import { buildInput } from '../../../../test/support/document-facts.ts';
import { buildDocument, withholdableBlocks } from '../build.ts';
import { DRAFT_SECTIONS, NEVER_WITHHELD } from '../drafting.ts';
import { type Block, DOCUMENT_KINDS, type SectionBlock, documentProblems, readingOrderText } from '../model.ts';
import { deriveVariant } from '../variants.ts';
import type { Withholding } from '../withholding.ts';

function sections(blocks: readonly Block[]): SectionBlock[] {
  return blocks.flatMap((b) => (b.type === 'section' ? [b, ...sections(b.blocks)] : []));
}

const FROM_FAMILY: readonly Withholding[] = [{ from: { kind: 'family' }, reason: 'third-party' }];

describe('every document of the written record', () => {
  it.each(DOCUMENT_KINDS)('%s: renders without problems, titled with the children, conference and date', (kind) => {
    const document = buildDocument(buildInput(kind, { version: 2 }));
    expect(documentProblems(document)).toEqual([]);
    expect(document.title).toMatch(/: Sam and Amy Smith, initial child protection conference on 4 December 2026$/);
    expect(document.metadata).toEqual({
      conferenceId: buildInput(kind).facts.conference.id,
      conferenceDate: '2026-12-04',
      children: [
        { id: buildInput(kind).facts.children[0]!.id, name: 'Sam Smith' },
        { id: buildInput(kind).facts.children[1]!.id, name: 'Amy Smith' },
      ],
      kind,
      version: 2,
    });
  });

  it.each(DOCUMENT_KINDS)('W-1, W-2: %s: is written for its readers, with no rule numbers in it', (kind) => {
    const text = readingOrderText(buildDocument(buildInput(kind, { version: 2 }))).join('\n');
    expect(text).not.toMatch(/\b[WTAPRQ]-\d+\b/);
  });

  it.each(DOCUMENT_KINDS)('%s: each free-text section is a section with its DRAFT_SECTIONS id and text', (kind) => {
    const input = buildInput(kind);
    const byId = new Map(sections(buildDocument(input).blocks).map((s) => [s.id, s]));
    for (const definition of DRAFT_SECTIONS[kind]) {
      const block = byId.get(definition.id);
      expect(block, definition.id).toBeDefined();
      const written = input.sections[definition.id]!.split('\n\n')[0]!;
      expect(readingOrderText({ ...buildDocument(input), blocks: [block!] })).toContain(written);
    }
  });

  it.each(DOCUMENT_KINDS)('W-3: %s: every section with an id carries the chair’s marks for that id', (kind) => {
    const ids = withholdableBlocks(buildDocument(buildInput(kind))).map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The answer to an amendment request is the requester's own: only the chair's note may be marked.
    expect(ids.length).toBeGreaterThan(kind === 'amendment-decision-letter' ? 0 : 2);
    const withholdings = Object.fromEntries(ids.map((id) => [id, FROM_FAMILY]));
    const marked = buildDocument(buildInput(kind, { withholdings }));
    for (const s of sections(marked.blocks).filter((b) => b.id)) {
      expect(s.withheld, s.id).toEqual(NEVER_WITHHELD.has(s.id!) ? undefined : FROM_FAMILY);
    }
    // Unmarked, nothing is withheld.
    for (const s of sections(buildDocument(buildInput(kind)).blocks)) expect(s.withheld, s.id).toBeUndefined();
    expect(documentProblems(marked)).toEqual([]);
  });

  it.each(DOCUMENT_KINDS)('W-6, W-7: %s: every copy keeps how to complain, confidentiality and the contact', (kind) => {
    const kept = [...NEVER_WITHHELD];
    const offered = withholdableBlocks(buildDocument(buildInput(kind))).map((b) => b.id);
    expect(offered.filter((id) => kept.includes(id))).toEqual([]);
    // A mark on them (from old data or a hand-made request) is ignored: the parent's copy still has them.
    const withholdings = Object.fromEntries(kept.map((id) => [id, FROM_FAMILY]));
    const copy = deriveVariant(buildDocument(buildInput(kind, { withholdings })), {
      kind: 'parent',
      person: { id: 'p1', name: 'Jane Smith' },
    });
    expect(copy.leftOut).toEqual([]);
    expect(readingOrderText(copy.document)).toContain('If you want to complain');
  });

  it('W-3: a section marked by its id is left out of the parent’s copy and kept, with a notice, in the full record', () => {
    const input = buildInput('conference-record', {
      withholdings: { 'essential-facts': [{ from: { kind: 'family' }, reason: 'police-or-marac' }] },
    });
    const document = buildDocument(input);
    const parents = deriveVariant(document, { kind: 'parent', person: { id: 'p1', name: 'Jane Smith' } });
    const full = deriveVariant(document, { kind: 'full' });
    expect(readingOrderText(parents.document)).not.toContain('Three referrals were made in the last six months.');
    expect(parents.leftOut.map((l) => l.blockId)).toEqual(['essential-facts']);
    expect(readingOrderText(full.document)).toContain('Three referrals were made in the last six months.');
    expect(readingOrderText(full.document).join('\n')).toContain("Not in every family member's copy");
  });

  it.each(DOCUMENT_KINDS)(
    '%s: an empty required section shows "Not yet written."; an empty optional one is left out',
    (kind) => {
      const document = buildDocument(buildInput(kind, { sections: {} }));
      expect(documentProblems(document)).toEqual([]);
      const byId = new Map(sections(document.blocks).map((s) => [s.id, s]));
      for (const definition of DRAFT_SECTIONS[kind]) {
        const block = byId.get(definition.id);
        if (kind === 'exclusion-letter') {
          // The register's reason stands in until the plain-English reasons are written (002 §3.2).
          expect(readingOrderText({ ...document, blocks: [block!] })).toContain(
            'Mr Smith was excluded while the police shared information about an ongoing investigation.',
          );
        } else if (definition.required) {
          // 002 §3.10: the family composition section opens with the recorded facts, then the typed text.
          const typed =
            definition.id === 'family-composition' ? block?.blocks.filter((b) => b.type !== 'table') : block?.blocks;
          expect(typed, definition.id).toEqual([{ type: 'paragraph', text: 'Not yet written.' }]);
        } else {
          expect(block, definition.id).toBeUndefined();
        }
      }
    },
  );

  it.each(DOCUMENT_KINDS)('W-6, W-7: %s ends with how to complain and that it is confidential', (kind) => {
    const text = readingOrderText(
      buildDocument(
        buildInput(kind, { wording: { opening: '', complaints: 'Complain here.', confidentiality: 'Keep it safe.' } }),
      ),
    );
    const complain = text.indexOf('If you want to complain');
    expect(text[complain + 1]).toBe('Complain here.');
    expect(text[complain + 2]).toMatch(/^Keeping this (letter|document) confidential$/);
    expect(text[complain + 3]).toBe('Keep it safe.');
    // With no wording for the kind, plain defaults stand in rather than an empty section.
    const fallback = readingOrderText(
      buildDocument(buildInput(kind, { wording: { opening: '', complaints: '', confidentiality: '' } })),
    ).join('\n');
    expect(fallback).toContain('you can complain. Contact Child protection conference team, 01234 500600.');
    expect(fallback).toMatch(/This (letter|document) is confidential\./);
  });
});
