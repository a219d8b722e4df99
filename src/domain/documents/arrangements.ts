/**
 * W-4: where a recipient has a sensory disability or English is not their first language (recorded on the
 * person), steps are taken so they can understand the record. What was arranged is shown in the document itself
 * and stays on business support's dashboard as a task until it is done. Pure: no I/O.
 */

export const ARRANGEMENT_KINDS = ['large-print', 'interpreter', 'translation', 'other'] as const;
export type ArrangementKind = (typeof ARRANGEMENT_KINDS)[number];

export const ARRANGEMENT_LABELS: Record<ArrangementKind, string> = {
  'large-print': 'Large print (18 point)',
  interpreter: 'An interpreter to go through it with them',
  translation: 'A translation requested',
  other: 'Another arrangement',
};

export function isArrangementKind(value: unknown): value is ArrangementKind {
  return typeof value === 'string' && (ARRANGEMENT_KINDS as readonly string[]).includes(value);
}

export const ARRANGEMENT_DETAIL_MAX_LENGTH = 500;

/** What was arranged for one recipient of a document (by their conference invitee id). */
export interface RecipientArrangement {
  inviteeId: string;
  kinds: readonly ArrangementKind[];
  /** The language for an interpreter or a translation. */
  language: string | null;
  /** What the other arrangement is, or any detail the recipient should know. */
  detail: string | null;
}

/**
 * The sentences a recipient's copy shows about what was arranged for them, in plain English:
 * "An interpreter who speaks Polish will go through this document with you."
 */
export function arrangementSentences(arrangement: RecipientArrangement): string[] {
  const language = arrangement.language?.trim() || null;
  const out: string[] = [];
  for (const kind of arrangement.kinds) {
    switch (kind) {
      case 'large-print':
        out.push('This copy is in large print.');
        break;
      case 'interpreter':
        out.push(
          language
            ? `An interpreter who speaks ${language} will go through this document with you.`
            : 'An interpreter will go through this document with you.',
        );
        break;
      case 'translation':
        out.push(
          language
            ? `A translation of this document into ${language} has been requested and will be sent to you.`
            : 'A translation of this document has been requested and will be sent to you.',
        );
        break;
      case 'other':
        break;
    }
  }
  const detail = arrangement.detail?.trim();
  if (detail) out.push(detail);
  return out;
}

/** True when the person's record says they may need an arrangement: a first language other than English, an interpreter, or access needs. */
export function mayNeedArrangement(person: {
  language: string | null;
  interpreterLanguage: string | null;
  accessibilityNeeds: string | null;
}): boolean {
  const language = person.language?.trim().toLowerCase() ?? '';
  return (
    (language !== '' && language !== 'english') ||
    (person.interpreterLanguage?.trim() ?? '') !== '' ||
    (person.accessibilityNeeds?.trim() ?? '') !== ''
  );
}
