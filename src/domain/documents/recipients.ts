/**
 * Who a document is issued to when it is issued (W-1, W-3, W-4): one copy addressed to each person invited or
 * attending, never a friend, supporter, advocate or interpreter; a family member gets a parent's copy (their own
 * withholding applied), a child gets a child's copy only when the chair has decided they should, and every
 * professional and agency gets the full record. The record and the chair's summary are also issued as the full
 * record for the child's file. An exclusion letter goes only to the person excluded. Distribution lists with
 * reasons and proof of sending build on this (W-4, the next piece of work). Pure: no I/O.
 */
import type { AttendeeFacts } from './facts.ts';
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

const LETTERS: readonly DocumentKind[] = ['decision-letter', 'plan-and-core-group-letter', 'exclusion-letter'];

export function isLetter(kind: DocumentKind): boolean {
  return LETTERS.includes(kind);
}

/**
 * The copies issuing a document makes. `childRecipientInviteeIds`: the children the chair judged to have
 * sufficient understanding to receive their own copy (W-1, W-4). `subjectInviteeId`: the excluded person an
 * exclusion letter is for.
 */
export function documentRecipients(
  kind: DocumentKind,
  attendees: readonly AttendeeFacts[],
  choices: {
    childRecipientInviteeIds: readonly string[];
    subjectInviteeId: string | null;
    /**
     * False under the council's "decisions and recommendations only" setting (003): the conference record is
     * then kept on the children's file and issued only as the file copy. Omitted: the full record goes out.
     */
    distributeFullRecord?: boolean;
  },
): DocumentRecipient[] {
  const fileCopy: DocumentRecipient = { inviteeId: null, name: FILE_COPY_NAME, copy: { kind: 'full' } };
  if (kind === 'conference-record' && choices.distributeFullRecord === false) return [fileCopy];
  if (kind === 'exclusion-letter') {
    const subject = attendees.find((a) => a.inviteeId === choices.subjectInviteeId);
    if (!subject) return [];
    return [
      {
        inviteeId: subject.inviteeId,
        name: subject.name,
        copy: { kind: 'parent', person: { id: subject.inviteeId, name: subject.name } },
      },
      fileCopy,
    ];
  }
  const chosenChildren = new Set(choices.childRecipientInviteeIds);
  const out: DocumentRecipient[] = [fileCopy];
  for (const a of attendees) {
    switch (a.kind) {
      case 'family-member':
        out.push({
          inviteeId: a.inviteeId,
          name: a.name,
          copy: { kind: 'parent', person: { id: a.inviteeId, name: a.name } },
        });
        break;
      case 'child':
        if (chosenChildren.has(a.inviteeId)) {
          out.push({
            inviteeId: a.inviteeId,
            name: a.name,
            copy: { kind: 'child', person: { id: a.inviteeId, name: a.name } },
          });
        }
        break;
      case 'professional':
        out.push({ inviteeId: a.inviteeId, name: a.name, copy: { kind: 'full' } });
        break;
      case 'friend':
      case 'supporter':
      case 'advocate':
      case 'interpreter':
        break;
    }
  }
  return out;
}
