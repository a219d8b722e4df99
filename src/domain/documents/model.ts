/**
 * The written record of a conference (W-1, W-2, T-6, T-7; 002 §3.2, §3.5, §3.10; 003): decision letters, the
 * plan and core group letter, the chair's summary, the conference record, inquorate notes and exclusion
 * letters. Each is a title, its metadata and a tree of blocks (headings, paragraphs, lists, key–value summary
 * lists, tables and sections). Every rendering, the HTML page and the tagged PDF, draws this one model, so the
 * page and the PDF say the same thing. Pure: no I/O.
 */
import type { IsoDate } from '../calendar/index.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import { hasControlCharacter } from '../shared/text.ts';
import type { Withholding } from './withholding.ts';

export const DOCUMENT_KINDS = [
  'decision-letter',
  'plan-and-core-group-letter',
  'chairs-summary',
  'conference-record',
  'inquorate-notes',
  'exclusion-letter',
  'amendment-decision-letter',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  'decision-letter': 'Decision letter',
  'plan-and-core-group-letter': 'Child protection plan and core group letter',
  'chairs-summary': "Chair's summary",
  'conference-record': 'Conference record',
  'inquorate-notes': 'Notes of an inquorate conference',
  'exclusion-letter': 'Reasons for exclusion from the conference',
  'amendment-decision-letter': 'Decision on a request to amend the record',
};

export interface DocumentChild {
  id: string;
  name: string;
}

export interface DocumentMetadata {
  conferenceId: string;
  conferenceDate: IsoDate;
  /** The child or sibling group the document is about. */
  children: readonly DocumentChild[];
  kind: DocumentKind;
  /** 1 for the first issued version; each amendment is issued as the next version. */
  version: number;
}

/** The document's title is the only level-1 heading; headings inside it are levels 2 to 6. */
export type HeadingLevel = 2 | 3 | 4 | 5 | 6;
export const MAX_HEADING_LEVEL = 6;

interface BlockBase {
  /** A stable name for the block (e.g. "police-information"), used in the log of what a copy left out. */
  id?: string;
  /** The copies this block is left out of, and why (W-3). */
  withheld?: readonly Withholding[];
  /**
   * In the full record only: which family copies leave this block out and why, so whoever holds the full
   * record knows it was not shared. Set by deriving a variant, never by hand.
   */
  notice?: string;
}

export interface HeadingBlock extends BlockBase {
  type: 'heading';
  level: HeadingLevel;
  text: string;
}

/** A paragraph; a line break inside the text is kept as a line break. */
export interface ParagraphBlock extends BlockBase {
  type: 'paragraph';
  text: string;
}

export interface ListBlock extends BlockBase {
  type: 'list';
  items: readonly string[];
  /** Numbered (an ordered list) rather than bulleted. */
  numbered?: boolean;
}

/** Key–value pairs, as a GOV.UK summary list: "Lead social worker" – "Sam Jones, 01234 567890". */
export interface SummaryBlock extends BlockBase {
  type: 'summary';
  rows: readonly { key: string; value: string }[];
}

/** A table with one header row; every row has as many cells as the header. */
export interface TableBlock extends BlockBase {
  type: 'table';
  caption: string;
  head: readonly string[];
  rows: readonly (readonly string[])[];
}

/** A section: its heading (one level below the enclosing section's) and what it holds. */
export interface SectionBlock extends BlockBase {
  type: 'section';
  heading: string;
  blocks: readonly Block[];
}

export type Block = HeadingBlock | ParagraphBlock | ListBlock | SummaryBlock | TableBlock | SectionBlock;
export type BlockType = Block['type'];

export interface WrittenDocument {
  title: string;
  metadata: DocumentMetadata;
  blocks: readonly Block[];
}

/** The heading level of a section's heading: H2 at the top of the document, one deeper per enclosing section. */
export function sectionHeadingLevel(depth: number): number {
  return depth + 2;
}

export interface DocumentProblem {
  /** Where: "blocks[2].blocks[0].rows[1]". */
  path: string;
  message: string;
}

function textProblem(problems: DocumentProblem[], path: string, label: string, value: string): void {
  if (!value.trim()) problems.push({ path, message: `${label} must not be empty` });
  else if (hasControlCharacter(value)) problems.push({ path, message: `${label} must not contain control characters` });
}

/**
 * Problems that would make a rendering inaccessible or wrong: empty text, a heading that skips a level (H2 then
 * H4: screen reader users navigate by heading levels), sections nested deeper than H6, tables whose rows do not
 * match the header, a withholding from nobody. Empty when the document can be rendered.
 */
export function documentProblems(document: WrittenDocument): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  textProblem(problems, 'title', 'The title', document.title);
  const m = document.metadata;
  if (!Number.isInteger(m.version) || m.version < 1) {
    problems.push({ path: 'metadata.version', message: 'The version must be a whole number from 1' });
  }
  if (m.children.length === 0) {
    problems.push({ path: 'metadata.children', message: 'A document must name the child or children it is about' });
  }
  let previousLevel = 1;
  const visit = (blocks: readonly Block[], depth: number, at: string) => {
    blocks.forEach((block, i) => {
      const path = `${at}[${i}]`;
      for (const [j, w] of (block.withheld ?? []).entries()) {
        if (w.from.kind === 'people' && w.from.people.length === 0) {
          problems.push({ path: `${path}.withheld[${j}]`, message: 'Name who the information is withheld from' });
        }
      }
      switch (block.type) {
        case 'heading':
          textProblem(problems, `${path}.text`, 'A heading', block.text);
          if (block.level > previousLevel + 1) {
            problems.push({
              path: `${path}.level`,
              message: `A level ${block.level} heading must not follow a level ${previousLevel} heading`,
            });
          }
          previousLevel = block.level;
          break;
        case 'paragraph':
          textProblem(problems, `${path}.text`, 'A paragraph', block.text);
          break;
        case 'list':
          if (block.items.length === 0) problems.push({ path: `${path}.items`, message: 'A list must have an item' });
          block.items.forEach((item, j) => textProblem(problems, `${path}.items[${j}]`, 'A list item', item));
          break;
        case 'summary':
          if (block.rows.length === 0) problems.push({ path: `${path}.rows`, message: 'A summary must have a row' });
          block.rows.forEach((row, j) => {
            textProblem(problems, `${path}.rows[${j}].key`, 'A summary key', row.key);
            if (hasControlCharacter(row.value)) {
              problems.push({
                path: `${path}.rows[${j}].value`,
                message: 'A value must not contain control characters',
              });
            }
          });
          break;
        case 'table':
          textProblem(problems, `${path}.caption`, 'A table caption', block.caption);
          if (block.head.length === 0)
            problems.push({ path: `${path}.head`, message: 'A table must have a header row' });
          block.head.forEach((cell, j) => textProblem(problems, `${path}.head[${j}]`, 'A column heading', cell));
          block.rows.forEach((row, j) => {
            if (row.length !== block.head.length) {
              problems.push({
                path: `${path}.rows[${j}]`,
                message: `Each row must have ${block.head.length} cells, as the header has`,
              });
            }
          });
          break;
        case 'section': {
          const level = sectionHeadingLevel(depth);
          textProblem(problems, `${path}.heading`, 'A section heading', block.heading);
          if (level > MAX_HEADING_LEVEL) {
            problems.push({ path, message: `Sections must not be nested more than ${MAX_HEADING_LEVEL - 1} deep` });
            break;
          }
          if (level > previousLevel + 1) {
            problems.push({
              path: `${path}.heading`,
              message: `A level ${level} heading must not follow a level ${previousLevel} heading`,
            });
          }
          previousLevel = level;
          visit(block.blocks, depth + 1, `${path}.blocks`);
          break;
        }
      }
    });
  };
  visit(document.blocks, 0, 'blocks');
  return problems;
}

/** Throws every problem `documentProblems` finds, each with its path as the field: renderers call it first. */
export function assertRenderable(document: WrittenDocument): void {
  const problems = documentProblems(document);
  if (problems.length > 0) throw new InvalidDetailsError(problems.map((p) => ({ field: p.path, message: p.message })));
}

/** The document's text in reading order, one string per line of meaning: for checks that two renderings agree. */
export function readingOrderText(document: WrittenDocument): string[] {
  const out: string[] = [document.title];
  const visit = (blocks: readonly Block[]) => {
    for (const block of blocks) {
      if (block.notice) out.push(block.notice);
      switch (block.type) {
        case 'heading':
        case 'paragraph':
          out.push(block.text);
          break;
        case 'list':
          out.push(...block.items);
          break;
        case 'summary':
          for (const row of block.rows) out.push(row.key, row.value);
          break;
        case 'table':
          out.push(block.caption, ...block.head, ...block.rows.flat());
          break;
        case 'section':
          out.push(block.heading);
          visit(block.blocks);
          break;
      }
    }
  };
  visit(document.blocks);
  return out.filter((s) => s.trim() !== '');
}

/** Splits typed text into paragraphs at blank lines (CRLF or LF), dropping empty ones. */
export function paragraphsOf(text: string): ParagraphBlock[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => ({ type: 'paragraph', text: p }));
}
