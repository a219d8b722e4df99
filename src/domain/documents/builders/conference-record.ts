/**
 * W-2, 002 §3.10: the conference record (the minutes): who was present and who sent apologies, family
 * composition and legal status, any delay in holding the conference and why, the grounds for a pre-birth conference
 * (002 §1.3) or why a review was brought forward (002 §2.2), the reasons for convening, the
 * essential facts, the discussion, each decision with its reasons and every agency's view and dissent, the
 * plan (or, where no plan was made or it ends, the outline child in need or team around the child plan, 002 §3.8,
 * §3.9), the lead social worker, the core group and its first meeting, the next conference, exclusions and how
 * the excluded people's views were heard, information withheld from the family (002 §3.2), the recording's
 * explanatory statement and the children's views. Pure: no I/O.
 */
import { formatLongDate } from '../../calendar/index.ts';
import type { BuildInput } from '../build-input.ts';
import type { DocumentFacts, TellingFacts } from '../facts.ts';
import { type Block, type TableBlock, type WrittenDocument, paragraphsOf } from '../model.ts';
import { familyComposition } from './family-composition.ts';
import {
  arrangementsSection,
  attendanceBlocks,
  childName,
  closingSections,
  conferenceSummary,
  coreGroupTable,
  decisionParts,
  documentMetadata,
  documentTitle,
  firstCoreGroupDate,
  freeText,
  leadSocialWorkerRows,
  longDateOr,
  paragraph,
  part,
  plansBlocks,
  present,
  section,
  stepDownBlocks,
  textOr,
} from './parts.ts';

const VIEW_LABELS = { agrees: 'Agrees', dissents: 'Disagrees' } as const;

/** D-4: every agency's view of each child's decision, dissent included, as a table per child. */
function agencyViews(facts: DocumentFacts): Block[] {
  const tables = facts.decisions
    .filter((d) => d.agencyViews.length > 0)
    .map((d): TableBlock => ({
      type: 'table',
      caption: `Agencies' views on the decision for ${childName(facts, d.childId)}`,
      head: ['Agency', 'View', 'What they said'],
      rows: d.agencyViews.map((v) => [v.agencyName, VIEW_LABELS[v.view], v.note?.trim() ?? '']),
    }));
  return tables.length > 0 ? tables : [paragraph('No agency views have been recorded.')];
}

function tellingText(telling: TellingFacts | null | undefined, fallback: string): string {
  return telling ? `On ${formatLongDate(telling.on)}, by ${telling.by}` : fallback;
}

/**
 * 002 §3.2: each person excluded, from how much of the conference, why (the criteria chosen, in words), when and by
 * whom they were told the reasons orally and in writing, and how their views were heard.
 */
function exclusions(facts: DocumentFacts): Block[] | null {
  const excluded = facts.attendees.filter((a) => a.exclusion);
  if (excluded.length === 0) return null;
  return excluded.map((a) => {
    const e = a.exclusion!;
    // Exclusions recorded before the telling was kept say nothing of it rather than "not recorded".
    const told = e.toldOrally !== undefined || e.toldInWriting !== undefined;
    return part(a.name, [
      {
        type: 'summary',
        rows: present([
          { key: 'Excluded from', value: e.extent === 'full' ? 'All of the conference' : 'Part of the conference' },
          { key: 'Reason', value: e.reason },
          told && { key: 'Reasons given orally', value: tellingText(e.toldOrally, 'Not recorded') },
          told && { key: 'Reasons given in writing', value: tellingText(e.toldInWriting, 'Not yet given in writing') },
          { key: 'How their views were heard', value: e.howViewsHeard },
        ]),
      },
    ]);
  });
}

/**
 * 002 §3.2, §3.3: each child's views and, where it was decided, whether they were to attend (which part and how)
 * and how their views reached the conference.
 */
function childrenViews(facts: DocumentFacts): Block[] {
  const shown = facts.children.filter((c) => c.views?.trim() || c.attendance);
  if (shown.length === 0) return [paragraph('No views were recorded for the children.')];
  return shown.map((c) =>
    part(
      `${c.name}'s views`,
      present<Block>([
        c.attendance && {
          type: 'summary',
          rows: present([
            { key: 'Decision on attending', value: c.attendance.decision },
            c.attendance.partArrangements ? { key: 'Which part and how', value: c.attendance.partArrangements } : null,
            {
              key: 'How their views reached the conference',
              value: c.attendance.viewsConveyed ?? 'Not recorded',
            },
          ]),
        },
        ...textOr(c.views, 'Their views in their own words are not on the record.'),
      ]),
    ),
  );
}

/** 002 §3.2, §3.4: the reports received, agencies' and the parents' own, by who sent them and when: never their content. */
function reportsReceived(facts: DocumentFacts): Block[] | null {
  const reports = facts.reportsReceived ?? [];
  if (reports.length === 0) return null;
  return [
    {
      type: 'table',
      caption: 'Reports received for the conference',
      head: ['From', 'Received'],
      rows: reports.map((r) => [r.from, formatLongDate(r.receivedOn)]),
    },
  ];
}

/**
 * P-6, P-7: every request by the family to record the conference, the decision, each round of asking everyone
 * present with every answer and its outcome, the limits accepted, and any copy of the family's recording handed
 * over (kept with the conference, never the official record).
 */
function familyRecording(facts: DocumentFacts): Block[] | null {
  const f = facts.familyRecording;
  if (!f || f.requests.length === 0) return null;
  const blocks: Block[] = f.requests.map((r) =>
    part(
      `Request from ${r.requesterName}`,
      present<Block>([
        {
          type: 'summary',
          rows: [
            { key: 'When', value: r.asked },
            { key: 'Why', value: r.purpose },
            { key: 'Decision', value: r.decision },
            {
              key: 'Limits on the recording',
              value: r.limitsAccepted ? 'Accepted by the requester' : 'Not yet accepted by the requester',
            },
          ],
        },
        r.disagreement.length > 0 && {
          type: 'table',
          caption: 'Professionals disagreed about recording, and the chair decided',
          head: ['Professional', 'View', 'Why'],
          rows: r.disagreement.map((d) => [d.name, d.view, d.reason ?? '']),
        },
        r.rounds.length === 0 && paragraph('Nobody present was asked about this request.'),
        ...r.rounds.map((x): Block => ({
          type: 'table',
          caption: `Asked at ${x.askedAt} (${x.occasion.toLowerCase()}): ${x.outcome}`,
          head: ['Person present', 'Answer', 'Reason, or further authorisation needed'],
          rows: x.consents.map((c) => [
            c.name,
            c.answer,
            [c.reason, c.furtherAuthorisation ? `Further authorisation needed: ${c.furtherAuthorisation}` : null]
              .filter(Boolean)
              .join('. '),
          ]),
        })),
      ]),
    ),
  );
  blocks.push(
    part(
      'The limits on a recording by the family',
      f.limits.map((l) => paragraph(l)),
    ),
    paragraph(
      'The meeting was not cancelled for any of this: the family could record only the parts everyone present agreed to.',
    ),
  );
  for (const c of f.copies)
    blocks.push(
      paragraph(
        `A copy of ${c.requesterName}’s recording, handed over on ${formatLongDate(c.handedOverOn)}, is kept with the conference. It is the family’s recording, not the official record.`,
      ),
    );
  return blocks;
}

export function buildConferenceRecord(input: BuildInput): WrittenDocument {
  const { facts } = input;
  const c = facts.conference;
  const lead = leadSocialWorkerRows(facts);
  const members = coreGroupTable(facts);
  const excluded = exclusions(facts);
  const byFamily = familyRecording(facts);
  const stepDown = stepDownBlocks(facts);
  const reports = reportsReceived(facts);
  const blocks = present<Block>([
    conferenceSummary(facts, { birthDates: true }),
    arrangementsSection(input, 'Help with this document'),
    section(input, 'attendance', 'Present and apologies', attendanceBlocks(facts)),
    familyComposition(input),
    Boolean(c.lateReason?.trim()) &&
      section(input, 'delay', 'Why the conference was held later than its due date', textOr(c.lateReason, '')),
    Boolean(c.proceededInquorateReason?.trim()) &&
      section(
        input,
        'quoracy',
        'Why the conference went ahead although not quorate',
        textOr(c.proceededInquorateReason, ''),
      ),
    // 002 §1.3: a pre-birth conference's grounds; 002 §2.2: why a review was brought forward.
    (c.preBirthGrounds?.length ?? 0) > 0 &&
      section(input, 'pre-birth-grounds', 'Grounds for holding a pre-birth conference', [
        { type: 'list', items: [...(c.preBirthGrounds ?? [])] },
      ]),
    Boolean(c.broughtForwardReason?.trim()) &&
      section(input, 'brought-forward', 'Why the review was brought forward', textOr(c.broughtForwardReason, '')),
    freeText(input, 'reasons-for-convening'),
    reports && section(input, 'reports-received', 'Reports received', reports),
    freeText(input, 'essential-facts'),
    section(input, 'children-views', "The children's views", childrenViews(facts)),
    freeText(input, 'discussion-summary'),
    section(input, 'decisions', 'Decisions and reasons', decisionParts(facts, { equallySplit: true })),
    section(input, 'agency-views', "Agencies' views", agencyViews(facts)),
    section(input, 'plan', 'The child protection plan', plansBlocks(facts)),
    stepDown && section(input, 'step-down', 'Child in need or team around the child plan', stepDown),
    section(input, 'lead-social-worker', 'Lead social worker', [
      lead ?? paragraph('No lead social worker has been named.'),
    ]),
    section(
      input,
      'core-group',
      'Core group',
      present<Block>([
        members ?? paragraph('No core group members have been recorded.'),
        paragraph(`First core group meeting: ${longDateOr(firstCoreGroupDate(facts), 'not yet set')}.`),
      ]),
    ),
    section(input, 'next-conference', 'Next conference', [
      paragraph(
        c.nextConferenceDate
          ? `The next conference will be on ${formatLongDate(c.nextConferenceDate)}.`
          : 'No further conference has been set.',
      ),
    ]),
    excluded && section(input, 'exclusions', 'Exclusions from the conference', excluded),
    freeText(input, 'information-withheld'),
    facts.recordingStatements.some((s) => s.trim()) &&
      section(
        input,
        'recording-statement',
        'About the recording of this conference',
        facts.recordingStatements.flatMap((s) => paragraphsOf(s)),
      ),
    byFamily && section(input, 'family-recording', 'Recording by the family', byFamily),
    // P-8: anyone asked to stop recording against the parents' wishes, each step with its time.
    (facts.unpermittedRecording?.length ?? 0) > 0 &&
      section(
        input,
        'unpermitted-recording',
        'Recording against the parents’ wishes',
        (facts.unpermittedRecording ?? []).map((line) => paragraph(line)),
      ),
    ...closingSections(input, 'document'),
  ]);
  return { title: documentTitle(input), metadata: documentMetadata(input), blocks };
}
