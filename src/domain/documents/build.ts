/**
 * Building a document from the conference (W-1, W-2; 002 §3.2, §3.5, §3.10; 003). One builder per kind, each
 * a pure function of BuildInput; every filled section and every free-text section is a section block with an
 * id, so the chair can mark it as withheld (W-3).
 */
import type { BuildInput } from './build-input.ts';
import type { Block, WrittenDocument } from './model.ts';

export function buildDocument(input: BuildInput): WrittenDocument {
  throw new Error(`The ${input.kind} builder is being written`);
}

/** The blocks of a built document the chair may mark as withheld: every section with an id, at any depth. */
export function withholdableBlocks(document: WrittenDocument): Array<{ id: string; heading: string }> {
  const out: Array<{ id: string; heading: string }> = [];
  const visit = (blocks: readonly Block[]) => {
    for (const b of blocks) {
      if (b.type !== 'section') continue;
      if (b.id) out.push({ id: b.id, heading: b.heading });
      visit(b.blocks);
    }
  };
  visit(document.blocks);
  return out;
}
