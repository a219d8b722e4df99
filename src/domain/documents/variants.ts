/**
 * W-3: a parent's copy is marked as a parent's copy on every page and may leave confidential material out;
 * W-4: a child's copy, when the chair decides, is marked likewise. Every copy is marked OFFICIAL-SENSITIVE
 * (W-6: records are confidential). Deriving a recipient's copy gives the blocks kept and a log of what was left
 * out, for whom and why, which is kept with the copy.
 */
import type { Block, BlockType, WrittenDocument } from './model.ts';
import {
  type Recipient,
  type Withholding,
  type WithholdingReason,
  WITHHOLDING_REASON_LABELS,
  describeRecipient,
  describeWithheldFrom,
  withholdsFrom,
} from './withholding.ts';

/** The Government Security Classification marking every written record carries, on every page. */
export const PROTECTIVE_MARKING = 'OFFICIAL-SENSITIVE';
export const PARENTS_COPY_MARKING = "PARENT'S COPY";
export const CHILDS_COPY_MARKING = "CHILD'S COPY";

export interface DocumentMarking {
  protective: typeof PROTECTIVE_MARKING;
  /** The copy marking beside it, or null for the full record. */
  copy: typeof PARENTS_COPY_MARKING | typeof CHILDS_COPY_MARKING | null;
}

export function markingFor(recipient: Recipient): DocumentMarking {
  const copy =
    recipient.kind === 'parent' ? PARENTS_COPY_MARKING : recipient.kind === 'child' ? CHILDS_COPY_MARKING : null;
  return { protective: PROTECTIVE_MARKING, copy };
}

/** The marking's lines as every page's header and footer show them: "OFFICIAL-SENSITIVE", "PARENT'S COPY". */
export function markingLines(marking: DocumentMarking): string[] {
  return marking.copy ? [marking.protective, marking.copy] : [marking.protective];
}

/** One block left out of one copy (W-3): what it was, where it stood, for whom and why. */
export interface LeftOut {
  blockId: string | null;
  type: BlockType;
  /** Where it stood: "Section “Police information” › paragraph 2". */
  location: string;
  /** The block's first words, so the chair can recognise it in the log. */
  excerpt: string;
  recipient: string;
  reasons: readonly { reason: WithholdingReason; label: string; explanation: string | null }[];
}

export interface DocumentVariant {
  recipient: Recipient;
  marking: DocumentMarking;
  /** The copy: only the blocks kept, with no trace of the withholdings in a family member's copy. */
  document: WrittenDocument;
  leftOut: readonly LeftOut[];
}

const TYPE_WORDS: Record<BlockType, string> = {
  heading: 'heading',
  paragraph: 'paragraph',
  list: 'list',
  summary: 'summary',
  table: 'table',
  section: 'section',
};

const EXCERPT_LENGTH = 80;

function excerptOf(block: Block): string {
  const text =
    block.type === 'heading' || block.type === 'paragraph'
      ? block.text
      : block.type === 'list'
        ? block.items.join('; ')
        : block.type === 'summary'
          ? block.rows.map((r) => `${r.key}: ${r.value}`).join('; ')
          : block.type === 'table'
            ? block.caption
            : block.heading;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : flat;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "Not in Jane Smith's copy: information confidential to one parent." for the full record. */
function noticeFor(withheld: readonly Withholding[]): string {
  const parts = withheld.map(
    (w) => `not in ${describeWithheldFrom(w.from)} (${lowerFirst(WITHHOLDING_REASON_LABELS[w.reason])})`,
  );
  const sentence = parts.join('; ');
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
}

function stripped(block: Block): Block {
  const { withheld: _withheld, notice: _notice, ...rest } = block;
  return rest as Block;
}

/**
 * The copy of a document for one recipient (W-3). The full record keeps every block, each withheld one
 * carrying a notice of which family copies leave it out and why; a parent's or child's copy keeps only what
 * is not withheld from that person, with no trace of the withholdings, and logs each block left out. A section
 * left out takes everything in it (logged once, as the section); a section whose every block was left out is
 * left out too, so no empty heading hints at what was there.
 */
export function deriveVariant(document: WrittenDocument, recipient: Recipient): DocumentVariant {
  const leftOut: LeftOut[] = [];
  const who = describeRecipient(recipient);

  const visit = (blocks: readonly Block[], where: string): Block[] => {
    const kept: Block[] = [];
    const counts = new Map<BlockType, number>();
    for (const block of blocks) {
      const n = (counts.get(block.type) ?? 0) + 1;
      counts.set(block.type, n);
      const location =
        block.type === 'section'
          ? `${where}Section “${block.heading}”`
          : `${where}${TYPE_WORDS[block.type]} ${n}`.replace(/^./, (c) => c.toUpperCase());
      const withheld = block.withheld ?? [];
      const applying = withheld.filter((w) => withholdsFrom(w, recipient));
      if (applying.length > 0) {
        leftOut.push({
          blockId: block.id ?? null,
          type: block.type,
          location,
          excerpt: excerptOf(block),
          recipient: who,
          reasons: applying.map((w) => ({
            reason: w.reason,
            label: WITHHOLDING_REASON_LABELS[w.reason],
            explanation: w.explanation?.trim() || null,
          })),
        });
        continue;
      }
      const base: Block =
        recipient.kind === 'full' && withheld.length > 0
          ? { ...stripped(block), notice: noticeFor(withheld) }
          : stripped(block);
      if (base.type === 'section') {
        const inner = visit(base.blocks, `Section “${base.heading}” › `);
        if (inner.length === 0 && base.blocks.length > 0) continue;
        kept.push({ ...base, blocks: inner });
      } else {
        kept.push(base);
      }
    }
    return kept;
  };

  return {
    recipient,
    marking: markingFor(recipient),
    document: { ...document, blocks: visit(document.blocks, '') },
    leftOut,
  };
}
