/**
 * The parts the document builders share: the title and metadata, sections that carry the chair's withholding
 * marks (W-3), the minute taker's free-text sections, a letter's opening and closing (W-1, W-4, W-6, W-7), and
 * the pieces several documents show (attendance, decisions, the plan, the core group). Pure: no I/O.
 */
import { type IsoDate, formatLongDate } from '../../calendar/index.ts';
import { ATTENDANCE_LABELS } from '../../conferences/attendance.ts';
import type { BuildInput } from '../build-input.ts';
import { NEVER_WITHHELD, sectionDefinition } from '../drafting.ts';
import type { AttendeeFacts, ChildFacts, DecisionFacts, DocumentFacts, PlanFacts, StepDownFacts } from '../facts.ts';
import {
  type Block,
  DOCUMENT_KIND_LABELS,
  type DocumentMetadata,
  type SectionBlock,
  type SummaryBlock,
  type TableBlock,
  paragraphsOf,
} from '../model.ts';

export const NOT_YET_WRITTEN = 'Not yet written.';

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "Sam", "Sam and Amy", "Sam, Amy and Leo". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** "Sam Smith", "Sam and Amy Smith" when the children share a family name, else "Sam Smith and Amy Jones". */
export function childrenNames(children: readonly { name: string }[]): string {
  const split = children.map((c) => {
    const words = c.name.trim().split(/\s+/);
    return { given: words.slice(0, -1).join(' '), family: words.at(-1) ?? '' };
  });
  const family = split[0]?.family ?? '';
  if (split.length > 1 && split.every((s) => s.given !== '' && s.family === family)) {
    return `${joinWords(split.map((s) => s.given))} ${family}`;
  }
  return joinWords(children.map((c) => c.name));
}

/** "Decision letter: Sam and Amy Smith, initial child protection conference on 4 December 2026". */
export function documentTitle(input: BuildInput): string {
  const { conference, children } = input.facts;
  return `${DOCUMENT_KIND_LABELS[input.kind]}: ${childrenNames(children)}, ${lowerFirst(conference.typeLabel)} on ${formatLongDate(conference.scheduledDate)}`;
}

export function documentMetadata(input: BuildInput): DocumentMetadata {
  return {
    conferenceId: input.facts.conference.id,
    conferenceDate: input.facts.conference.scheduledDate,
    children: input.facts.children.map((c) => ({ id: c.id, name: c.name })),
    kind: input.kind,
    version: input.version,
  };
}

/** A section with a stable id, carrying the chair's withholding marks for that id (W-3). */
export function section(input: BuildInput, id: string, heading: string, blocks: readonly Block[]): SectionBlock {
  const withheld = NEVER_WITHHELD.has(id) ? undefined : input.withholdings[id];
  return withheld && withheld.length > 0
    ? { type: 'section', id, heading, blocks, withheld }
    : { type: 'section', id, heading, blocks };
}

/** A section without an id (a child's part of a filled section): withheld only with its enclosing section. */
export function part(heading: string, blocks: readonly Block[]): SectionBlock {
  return { type: 'section', heading, blocks };
}

export function paragraph(text: string): Block {
  return { type: 'paragraph', text };
}

/** Typed text as paragraphs, or the fallback sentence when nothing was typed. */
export function textOr(text: string | null | undefined, fallback: string): Block[] {
  const paragraphs = paragraphsOf(text ?? '');
  return paragraphs.length > 0 ? paragraphs : [paragraph(fallback)];
}

/**
 * The minute taker's free-text section (its DRAFT_SECTIONS id). Empty: an optional section is left out; a
 * required one shows "Not yet written." (only a draft can be in that state: it cannot reach the chair empty).
 */
export function freeText(input: BuildInput, sectionId: string, heading?: string): SectionBlock | null {
  const definition = sectionDefinition(input.kind, sectionId);
  if (!definition) throw new Error(`A ${input.kind} has no section "${sectionId}"`);
  const paragraphs = paragraphsOf(input.sections[sectionId] ?? '');
  if (paragraphs.length === 0 && !definition.required) return null;
  return section(
    input,
    sectionId,
    heading ?? definition.label,
    paragraphs.length > 0 ? paragraphs : [paragraph(NOT_YET_WRITTEN)],
  );
}

export function present<T>(items: readonly (T | null | undefined | false)[]): T[] {
  return items.filter((item): item is T => item !== null && item !== undefined && item !== false);
}

export function longDateOr(date: IsoDate | null, fallback: string): string {
  return date ? formatLongDate(date) : fallback;
}

/** "Sam Smith, born 4 March 2019" or "Baby Smith, expected 1 February 2027". */
export function childDescription(child: ChildFacts): string {
  if (child.dateOfBirth) return `${child.name}, born ${formatLongDate(child.dateOfBirth)}`;
  if (child.expectedDeliveryDate) return `${child.name}, expected ${formatLongDate(child.expectedDeliveryDate)}`;
  return child.name;
}

/**
 * The conference at a glance: the children, the kind of conference, when, where and who chaired it. The minutes
 * identify each child by date of birth; a summary for the family names them only.
 */
export function conferenceSummary(facts: DocumentFacts, options: { birthDates: boolean }): SummaryBlock {
  const c = facts.conference;
  const time = c.actualStartTime
    ? `${c.actualStartTime}${c.actualEndTime ? ` to ${c.actualEndTime}` : ''}`
    : `${c.startTime} (planned start)`;
  return {
    type: 'summary',
    rows: present([
      {
        key: facts.children.length === 1 ? 'Child' : 'Children',
        value: facts.children.map((c) => (options.birthDates ? childDescription(c) : c.name)).join('\n'),
      },
      { key: 'Conference', value: c.typeLabel },
      { key: 'Date', value: formatLongDate(c.scheduledDate) },
      { key: 'Time', value: time },
      { key: 'Place', value: c.venue },
      c.chairName ? { key: 'Chair', value: c.chairName } : null,
    ]),
  };
}

// ---- Letters (W-1, W-4, W-6, W-7) ----

/** The opening's paragraphs without a salutation line ("Dear …") of its own: the builder writes the salutation. */
function openingParagraphs(opening: string): Block[] {
  const [first, ...rest] = paragraphsOf(opening);
  if (!first) return [];
  const lines = first.text.split('\n');
  if (!/^dear\b/i.test(lines[0]!.trim())) return [first, ...rest];
  const remainder = lines.slice(1).join('\n').trim();
  return remainder ? [paragraph(remainder), ...rest] : rest;
}

/**
 * "Dear Jane Smith", the council's opening and what was arranged for her (W-4). The draft's preview and the copy
 * for the children's file say who the letter goes to instead; an exclusion letter names its one addressee. A
 * salutation at the start of the council's wording gives way to this one, so the letter greets once.
 */
export function letterOpening(input: BuildInput, addresseeName?: string): Block[] {
  const addressed = input.addressee && input.addressee.inviteeId !== null ? input.addressee.name : null;
  const name = addressed ?? addresseeName;
  return present<Block>([
    letterhead(input),
    paragraph(name ? `Dear ${name}` : 'Addressed to each person invited to or attending the conference'),
    ...openingParagraphs(input.wording.opening),
    arrangementsSection(input, 'Help with this letter'),
  ]);
}

/** Who the letter is from and its date: the day it is issued, or a note that it is dated then. */
function letterhead(input: BuildInput): SummaryBlock {
  const { council, conference } = input.facts;
  return {
    type: 'summary',
    id: 'letterhead',
    rows: [
      { key: 'From', value: council.name },
      { key: 'Date', value: input.issuedOn ? formatLongDate(input.issuedOn) : 'The date it is issued' },
      { key: 'Contact', value: council.contact },
      ...(conference.chairName ? [{ key: 'Conference chair', value: conference.chairName }] : []),
    ],
  };
}

/** The letter's close: "Yours sincerely" and the chair who signs it for the council. */
export function signOff(input: BuildInput): Block[] {
  const { council, conference } = input.facts;
  return [
    paragraph('Yours sincerely'),
    paragraph(
      conference.chairName
        ? `${conference.chairName}\nChair of the child protection conference, for ${council.name}`
        : `Chair of the child protection conference, for ${council.name}`,
    ),
  ];
}

/** W-4: what was arranged so the recipient can understand the document, when anything was. */
export function arrangementsSection(input: BuildInput, heading: string): SectionBlock | null {
  const sentences = input.arrangements.filter((s) => s.trim());
  return sentences.length > 0 ? section(input, 'arrangements', heading, sentences.map(paragraph)) : null;
}

/**
 * W-7 how to complain, W-6 confidentiality, and how to reach the council: at the end of every document, in the
 * council's wording for it.
 */
export function closingSections(input: BuildInput, what: 'letter' | 'document'): Block[] {
  const { council } = input.facts;
  return [
    section(
      input,
      'complaints',
      'If you want to complain',
      textOr(
        input.wording.complaints,
        `If you are unhappy about how the conference was run, about the category of the plan or about whether a plan was made, you can complain. Contact ${council.contact}.`,
      ),
    ),
    section(
      input,
      'confidentiality',
      `Keeping this ${what} confidential`,
      textOr(
        input.wording.confidentiality,
        `This ${what} is confidential. Do not pass it on unless the chair of the conference or the lead social worker has agreed, or a court has ordered it.`,
      ),
    ),
    section(input, 'contact', 'Contact us', [paragraph(`${council.name}: ${council.contact}`)]),
  ];
}

// ---- What several documents show ----

export function childName(facts: DocumentFacts, childId: string): string {
  return facts.children.find((c) => c.id === childId)?.name ?? 'The child';
}

/** The decision and, when a plan is made, its category. */
export function decisionRows(decision: DecisionFacts): SummaryBlock {
  return {
    type: 'summary',
    rows: present([
      { key: 'Decision', value: decision.outcomeLabel },
      decision.categoryLabel ? { key: 'Category', value: decision.categoryLabel } : null,
    ]),
  };
}

function sameDecision(a: DecisionFacts, b: DecisionFacts): boolean {
  return a.outcomeLabel === b.outcomeLabel && a.categoryLabel === b.categoryLabel && a.reasons === b.reasons;
}

/**
 * Each child's decision: the outcome and category, the reasons and, in the record, the equal split (D-4). With
 * `siblingGroup`, siblings given the same decision for the same reasons are told it once, under all their names.
 */
export function decisionParts(
  facts: DocumentFacts,
  options: { equallySplit: boolean; siblingGroup?: boolean },
): Block[] {
  const decisionBlocks = (decision: DecisionFacts) =>
    present<Block>([
      decisionRows(decision),
      ...textOr(decision.reasons, 'No reasons have been recorded.'),
      options.equallySplit &&
        decision.equallySplit &&
        paragraph('The agencies were equally split on this decision, so the chair made the decision.'),
    ]);
  const decisions = facts.children.map((child) => facts.decisions.find((d) => d.childId === child.id));
  const first = decisions[0];
  if (
    options.siblingGroup &&
    facts.children.length > 1 &&
    first &&
    decisions.every((d) => d && sameDecision(d, first))
  ) {
    return [part(childrenNames(facts.children), decisionBlocks(first))];
  }
  return facts.children.map((child, i) => {
    const decision = decisions[i];
    return part(child.name, decision ? decisionBlocks(decision) : [paragraph('No decision has been recorded yet.')]);
  });
}

/** A child's plan: the actions (what, who, by when) as a table, and the contingency and review date. */
export function planBlocks(facts: DocumentFacts, plan: PlanFacts): Block[] {
  const name = childName(facts, plan.childId);
  const actions: TableBlock = {
    type: 'table',
    caption: `What will happen under ${name}'s plan`,
    head: ['Action', 'Who', 'By when'],
    rows: plan.actions.map((a) => [a.action, a.who, longDateOr(a.byWhen, 'Ongoing')]),
  };
  return present<Block>([
    plan.actions.length > 0 ? actions : paragraph('No actions have been recorded in the plan yet.'),
    {
      type: 'summary',
      rows: [
        { key: 'If the plan is not working', value: plan.contingencyPlan?.trim() || 'No contingency plan recorded.' },
        { key: 'Review conference', value: longDateOr(plan.nextReviewDate, 'Not yet set') },
      ],
    },
  ]);
}

/** 002 §3.8, §3.9: the conference decided the child needs no plan, or ended the plan: they step down. */
export function stepsDown(facts: DocumentFacts, childId: string): boolean {
  const outcome = facts.decisions.find((d) => d.childId === childId)?.outcome;
  return outcome === 'no-plan' || outcome === 'plan-ends';
}

/** Why a child has no plan to show: the plan ends, no plan was made, or none has been recorded yet. */
function noPlanText(facts: DocumentFacts, child: ChildFacts): string {
  const outcome = facts.decisions.find((d) => d.childId === child.id)?.outcome;
  if (outcome === 'plan-ends') return `${child.name}'s child protection plan ends.`;
  if (outcome === 'no-plan') return `${child.name} does not need a child protection plan.`;
  return `${child.name} does not have a plan.`;
}

/**
 * The plan of every child who has one, a part per child when there are several children. A child whose plan ends
 * or who needs none (002 §3.8, §3.9) is said so: their outline plan is shown on its own.
 */
export function plansBlocks(facts: DocumentFacts): Block[] {
  const withPlans = facts.plans.filter(
    (p) => facts.children.some((c) => c.id === p.childId) && !stepsDown(facts, p.childId),
  );
  if (withPlans.length === 0) {
    const stepping = facts.children.filter((c) => stepsDown(facts, c.id));
    return stepping.length > 0
      ? stepping.map((c) => paragraph(noPlanText(facts, c)))
      : [paragraph('No child protection plan has been made.')];
  }
  if (facts.children.length === 1) return planBlocks(facts, withPlans[0]!);
  return facts.children.map((child) => {
    const plan = withPlans.find((p) => p.childId === child.id);
    return part(child.name, plan ? planBlocks(facts, plan) : [paragraph(noPlanText(facts, child))]);
  });
}

function stepDownRows(stepDown: StepDownFacts | undefined, familyMeetingDate: IsoDate | null): Block[] {
  return present<Block>([
    stepDown
      ? {
          type: 'summary',
          rows: present([
            { key: 'Plan', value: stepDown.kindLabel },
            { key: 'Lead professional', value: stepDown.leadProfessional },
            { key: 'Services that continue', value: stepDown.services },
            stepDown.firstMeetingDate
              ? {
                  key: 'First meeting of the team with the family and child',
                  value: formatLongDate(stepDown.firstMeetingDate),
                }
              : null,
          ]),
        }
      : paragraph('The outline plan has not been recorded yet.'),
    familyMeetingDate !== null &&
      paragraph(
        `The lead social worker will meet the child and family on ${formatLongDate(familyMeetingDate)} to confirm the plan and how it will be carried out and reviewed.`,
      ),
  ]);
}

/**
 * 002 §3.8, §3.9: for each child whose conference made no plan or ended one, the outline child in need or team
 * around the child plan: the lead professional, the services that continue, the team's first meeting with the
 * family and, when a plan ends, the date the lead social worker meets the child and family. Null when no child
 * steps down.
 */
export function stepDownBlocks(facts: DocumentFacts): Block[] | null {
  const stepping = facts.children.filter((c) => stepsDown(facts, c.id));
  if (stepping.length === 0) return null;
  const blocksFor = (child: ChildFacts) =>
    stepDownRows(
      facts.stepDowns?.find((s) => s.childId === child.id),
      facts.plans.find((p) => p.childId === child.id)?.familyMeetingDate ?? null,
    );
  if (facts.children.length === 1) return blocksFor(stepping[0]!);
  return stepping.map((child) => part(child.name, blocksFor(child)));
}

/** The lead social worker, once when the children share one, else per child. */
export function leadSocialWorkerRows(facts: DocumentFacts): SummaryBlock | null {
  const leads = facts.plans.filter((p) => p.leadSocialWorker);
  if (leads.length === 0) return null;
  const describe = (p: PlanFacts) =>
    [p.leadSocialWorker!.name, p.leadSocialWorker!.contact].filter((s) => s && s.trim()).join(', ');
  const distinct = new Set(leads.map(describe));
  if (distinct.size === 1)
    return { type: 'summary', rows: [{ key: 'Lead social worker', value: describe(leads[0]!) }] };
  return {
    type: 'summary',
    rows: leads.map((p) => ({ key: `Lead social worker for ${childName(facts, p.childId)}`, value: describe(p) })),
  };
}

/** The first core group meeting's date: the earliest any child's plan sets. */
export function firstCoreGroupDate(facts: DocumentFacts): IsoDate | null {
  const dates = facts.plans.map((p) => p.firstCoreGroupDate).filter((d): d is IsoDate => d !== null);
  return dates.sort()[0] ?? null;
}

/** The core group across the children's plans, each member once. */
export function coreGroupTable(facts: DocumentFacts): TableBlock | null {
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const plan of facts.plans) {
    for (const m of plan.coreGroup) {
      if (seen.has(m.inviteeId)) continue;
      seen.add(m.inviteeId);
      rows.push([m.name, m.role, m.agencyName ?? '']);
    }
  }
  if (rows.length === 0) return null;
  return { type: 'table', caption: 'Members of the core group', head: ['Name', 'Role', 'Agency'], rows };
}

function peopleTable(caption: string, people: readonly AttendeeFacts[], withStatus: boolean): TableBlock {
  return {
    type: 'table',
    caption,
    head: withStatus ? ['Name', 'Role', 'Agency', 'Attendance'] : ['Name', 'Role', 'Agency'],
    rows: people.map((a) => {
      const role = a.interpreterLanguage ? `${a.role} (with a ${a.interpreterLanguage} interpreter)` : a.role;
      const row = [a.name, role, a.agencyName ?? ''];
      // "Invited" with nothing recorded after the meeting says only that their attendance was not recorded.
      const status = a.attendance === 'invited' ? 'Not recorded' : ATTENDANCE_LABELS[a.attendance];
      return withStatus ? [...row, status] : row;
    }),
  };
}

/** Present and apologies (W-2, 002 §3.10): who attended, who sent apologies, and who else was invited. */
export function attendanceBlocks(facts: DocumentFacts): Block[] {
  const attended = facts.attendees.filter((a) => a.attendance === 'attended');
  const apologies = facts.attendees.filter((a) => a.attendance === 'apologies');
  const others = facts.attendees.filter((a) => a.attendance !== 'attended' && a.attendance !== 'apologies');
  return present<Block>([
    attended.length > 0 ? peopleTable('Present', attended, false) : paragraph('No one is recorded as present.'),
    apologies.length > 0 ? peopleTable('Apologies', apologies, false) : paragraph('No apologies were recorded.'),
    others.length > 0 && peopleTable('Invited but not present', others, true),
  ]);
}
