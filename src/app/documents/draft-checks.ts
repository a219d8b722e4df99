/**
 * Checking what a draft of the written record is given (W-1 … W-4): the minute taker's section text, the
 * chair's withholding marks, who receives a copy with what arranged for them, and comments. Each check throws
 * InvalidDetailsError with every problem, keyed by the field a form shows it against.
 */
import {
  ARRANGEMENT_DETAIL_MAX_LENGTH,
  type ArrangementKind,
  type AttendeeFacts,
  type DocumentKind,
  type FamilyMember,
  type RecipientArrangement,
  SECTION_TEXT_MAX_LENGTH,
  type Withholding,
  isArrangementKind,
  isWithholdingReason,
  sectionDefinition,
} from '../../domain/documents/index.ts';
import { type FieldProblem, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { controlCharacterMessage, hasControlCharacter } from '../../domain/shared/text.ts';

/** The longest explanation the chair may give for withholding a block (W-3). */
export const WITHHOLDING_EXPLANATION_MAX_LENGTH = 2_000;
/** The longest comment the chair may leave on a section. */
export const COMMENT_MAX_LENGTH = 5_000;
/** The longest note recorded when an arrangement is done (W-4). */
export const TASK_NOTE_MAX_LENGTH = 1_000;

function throwIfAny(problems: readonly FieldProblem[]): void {
  if (problems.length) throw new InvalidDetailsError(problems);
}

/** Line breaks as one newline, whatever the browser sent. */
function normalised(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** The sections as saved: every id one of the kind's sections, the text within its limit, with no hidden characters. */
export function checkSections(kind: DocumentKind, sections: Readonly<Record<string, unknown>>): Record<string, string> {
  const problems: FieldProblem[] = [];
  const out: Record<string, string> = {};
  for (const [id, text] of Object.entries(sections)) {
    const def = sectionDefinition(kind, id);
    if (!def) {
      problems.push({ field: id, message: 'This is not a section of this document' });
      continue;
    }
    if (typeof text !== 'string') {
      problems.push({ field: id, message: `${def.label} must be text` });
      continue;
    }
    if (hasControlCharacter(text)) problems.push({ field: id, message: controlCharacterMessage(def.label) });
    else if (normalised(text).length > SECTION_TEXT_MAX_LENGTH)
      problems.push({
        field: id,
        message: `${def.label} must be ${SECTION_TEXT_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
      });
    else out[id] = normalised(text);
  }
  throwIfAny(problems);
  return out;
}

/**
 * One block's withholding marks as saved (W-3): a known reason, withheld from the family, the children or named
 * people of this conference's family (named as the register names them), and an explanation within its limit.
 */
export function checkWithholdings(
  withholdings: readonly Withholding[],
  attendees: readonly AttendeeFacts[],
): Withholding[] {
  const problems: FieldProblem[] = [];
  const family = new Map(
    attendees.filter((a) => a.kind === 'family-member' || a.kind === 'child').map((a) => [a.inviteeId, a]),
  );
  const out: Withholding[] = [];
  if (!Array.isArray(withholdings))
    throw new InvalidDetailsError([{ field: 'withholdings', message: 'Say who it is withheld from' }]);
  withholdings.forEach((w, i) => {
    const at = `withholdings[${i}]`;
    if (!w || typeof w !== 'object') {
      problems.push({ field: at, message: 'Say who it is withheld from and why' });
      return;
    }
    if (!isWithholdingReason(w.reason)) problems.push({ field: `${at}.reason`, message: 'Select why it is withheld' });
    let from: Withholding['from'] | null = null;
    const kind = (w.from as { kind?: unknown } | undefined)?.kind;
    if (kind === 'family' || kind === 'children') from = { kind };
    else if (kind === 'people') {
      const people = (w.from as { people?: unknown }).people;
      const list = Array.isArray(people) ? (people as Array<Partial<FamilyMember> | null>) : [];
      const named: FamilyMember[] = [];
      for (const p of list) {
        const member = typeof p?.id === 'string' ? family.get(p.id.toLowerCase()) : undefined;
        if (!member) {
          problems.push({
            field: `${at}.from`,
            message: 'Select family members or children of this conference',
          });
          break;
        }
        if (!named.some((n) => n.id === member.inviteeId)) named.push({ id: member.inviteeId, name: member.name });
      }
      if (named.length === 0 && !problems.some((p) => p.field === `${at}.from`))
        problems.push({ field: `${at}.from`, message: 'Select who it is withheld from' });
      from = { kind: 'people', people: named };
    } else problems.push({ field: `${at}.from`, message: 'Select who it is withheld from' });
    const explanation = typeof w.explanation === 'string' ? normalised(w.explanation).trim() : '';
    if (w.explanation !== undefined && w.explanation !== null && typeof w.explanation !== 'string')
      problems.push({ field: `${at}.explanation`, message: 'The explanation must be text' });
    else if (hasControlCharacter(explanation))
      problems.push({ field: `${at}.explanation`, message: controlCharacterMessage('The explanation') });
    else if (explanation.length > WITHHOLDING_EXPLANATION_MAX_LENGTH)
      problems.push({
        field: `${at}.explanation`,
        message: `The explanation must be ${WITHHOLDING_EXPLANATION_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
      });
    if (from && isWithholdingReason(w.reason))
      out.push({ from, reason: w.reason, ...(explanation ? { explanation } : {}) });
  });
  throwIfAny(problems);
  return out;
}

/** Who may receive a copy of this kind of document: family members, children and professionals (never supporters or interpreters). */
function receives(a: AttendeeFacts, kind: DocumentKind, subjectInviteeId: string | null): boolean {
  if (kind === 'exclusion-letter' || kind === 'amendment-decision-letter') return a.inviteeId === subjectInviteeId;
  return a.kind === 'family-member' || a.kind === 'child' || a.kind === 'professional';
}

function optionalText(
  problems: FieldProblem[],
  field: string,
  label: string,
  value: unknown,
  max: number,
): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    problems.push({ field, message: `${label} must be text` });
    return null;
  }
  const text = value.replace(/\s+/g, ' ').trim();
  if (hasControlCharacter(value.replace(/\r?\n/g, ' ')))
    problems.push({ field, message: controlCharacterMessage(label) });
  else if (text.length > max) problems.push({ field, message: `${label} must be ${max} characters or fewer` });
  return text || null;
}

/**
 * The children chosen to receive their own copy (W-1, W-4) and what was arranged for recipients (W-4): each
 * child on the register as a child, each arrangement for one person who receives the document, once.
 */
export function checkRecipients(
  input: { childRecipientInviteeIds: readonly string[]; arrangements: readonly RecipientArrangement[] },
  attendees: readonly AttendeeFacts[],
  kind: DocumentKind,
  subjectInviteeId: string | null,
): { childRecipientInviteeIds: string[]; arrangements: RecipientArrangement[] } {
  const problems: FieldProblem[] = [];
  const byId = new Map(attendees.map((a) => [a.inviteeId, a]));
  const children: string[] = [];
  const ids = Array.isArray(input.childRecipientInviteeIds) ? input.childRecipientInviteeIds : [];
  for (const raw of ids) {
    const id = typeof raw === 'string' ? raw.toLowerCase() : '';
    if (byId.get(id)?.kind !== 'child') {
      problems.push({ field: 'childRecipientInviteeIds', message: 'Select children who are on the register' });
      break;
    }
    if (!children.includes(id)) children.push(id);
  }
  const arrangements: RecipientArrangement[] = [];
  const list = Array.isArray(input.arrangements) ? input.arrangements : [];
  list.forEach((a, i) => {
    const at = `arrangements[${i}]`;
    const id = typeof a?.inviteeId === 'string' ? a.inviteeId.toLowerCase() : '';
    const who = byId.get(id);
    if (!who || !receives(who, kind, subjectInviteeId)) {
      problems.push({ field: `${at}.inviteeId`, message: 'Select someone who receives this document' });
      return;
    }
    if (arrangements.some((x) => x.inviteeId === id)) {
      problems.push({ field: `${at}.inviteeId`, message: 'Give each person’s arrangements once' });
      return;
    }
    const kinds: ArrangementKind[] = [];
    for (const k of Array.isArray(a.kinds) ? a.kinds : []) {
      if (!isArrangementKind(k)) {
        problems.push({ field: `${at}.kinds`, message: 'Select what was arranged' });
        break;
      }
      if (!kinds.includes(k)) kinds.push(k);
    }
    if (kinds.length === 0 && !problems.some((p) => p.field === `${at}.kinds`))
      problems.push({ field: `${at}.kinds`, message: 'Select what was arranged' });
    const language = optionalText(problems, `${at}.language`, 'The language', a.language, 100);
    const detail = optionalText(problems, `${at}.detail`, 'The detail', a.detail, ARRANGEMENT_DETAIL_MAX_LENGTH);
    if (kinds.includes('other') && !detail)
      problems.push({ field: `${at}.detail`, message: 'Say what the other arrangement is' });
    arrangements.push({ inviteeId: id, kinds, language, detail });
  });
  throwIfAny(problems);
  return { childRecipientInviteeIds: children, arrangements };
}

/** A comment's text: required, within its limit, with no hidden characters. */
export function checkComment(body: unknown): string {
  const text = typeof body === 'string' ? normalised(body).trim() : '';
  if (!text) throw new InvalidDetailsError([{ field: 'body', message: 'Enter your comment' }]);
  if (hasControlCharacter(text))
    throw new InvalidDetailsError([{ field: 'body', message: controlCharacterMessage('The comment') }]);
  if (text.length > COMMENT_MAX_LENGTH)
    throw new InvalidDetailsError([
      {
        field: 'body',
        message: `The comment must be ${COMMENT_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
      },
    ]);
  return text;
}

/** An optional note when an arrangement is marked done. */
export function checkTaskNote(note: unknown): string | null {
  const problems: FieldProblem[] = [];
  const text = typeof note === 'string' ? normalised(note).trim() : null;
  if (note !== null && note !== undefined && typeof note !== 'string')
    problems.push({ field: 'note', message: 'The note must be text' });
  else if (text && hasControlCharacter(text))
    problems.push({ field: 'note', message: controlCharacterMessage('The note') });
  else if (text && text.length > TASK_NOTE_MAX_LENGTH)
    problems.push({
      field: 'note',
      message: `The note must be ${TASK_NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`,
    });
  throwIfAny(problems);
  return text || null;
}
