/**
 * Who a copy is addressed to (W-1, W-3, W-4): the invitee and which copy they receive, or the children's file. The
 * distribution list (distribution.ts) decides who they are, with a reason for each person on the register; a
 * letter is addressed to its reader. Pure: no I/O.
 */
import type { DocumentKind } from './model.ts';
import type { Recipient } from './withholding.ts';

export interface DocumentRecipient {
  /** The invitee the copy is addressed to; null for the full record kept on the children's file. */
  inviteeId: string | null;
  /** "Jane Smith", or "The children's file" for the file copy. */
  name: string;
  /** Which copy they get: the full record, a parent's copy or a child's copy (W-3). */
  copy: Recipient;
}

export const FILE_COPY_NAME = "The children's file";

const LETTERS: readonly DocumentKind[] = [
  'decision-letter',
  'plan-and-core-group-letter',
  'exclusion-letter',
  'amendment-decision-letter',
];

export function isLetter(kind: DocumentKind): boolean {
  return LETTERS.includes(kind);
}
