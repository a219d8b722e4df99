/**
 * W-5, T-8: the letter giving a person who asked for the written record to be amended the chair's decision on each
 * point: what they asked to change (the text as issued and the change they wanted), the decision (accepted, accepted
 * in part, not accepted) and the chair's reasons; what happens next (an accepted change makes a new version of the
 * document, sent to everyone who had it); and, as every letter, how to complain (W-7), that it is confidential
 * (W-6) and how to reach the council. A request that arrived after T-8's 10 working days is answered all the same.
 * Addressed to the requester, from the council, signed by the chair, dated the day it is issued. Pure: no I/O.
 */
import { formatLongDate } from '../../calendar/index.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { AMENDMENT_DECISION_LABELS } from '../amendments.ts';
import type { AmendmentLetterFacts, BuildInput } from '../build-input.ts';
import { type Block, DOCUMENT_KIND_LABELS, type WrittenDocument } from '../model.ts';
import {
  closingSections,
  documentMetadata,
  documentTitle,
  freeText,
  letterOpening,
  lowerFirst,
  paragraph,
  part,
  present,
  section,
  signOff,
} from './parts.ts';

/** "the conference record (version 1)". */
function documentName(amendment: AmendmentLetterFacts): string {
  return `the ${lowerFirst(DOCUMENT_KIND_LABELS[amendment.documentKind])} (version ${amendment.issueNumber})`;
}

/** "one", "two", … "ten", then digits. */
function number(n: number): string {
  return ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][n] ?? String(n);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What happens next: a new version when anything was accepted, otherwise the document stands as issued. */
function nextSteps(amendment: AmendmentLetterFacts): Block[] {
  const accepted = amendment.points.filter((p) => p.decision !== 'not-accepted').length;
  const name = documentName(amendment);
  const version = amendment.issueNumber;
  const complain = 'If you disagree with the chair’s decision, you can complain: see below.';
  if (accepted === 0) {
    return [
      paragraph(
        `The chair did not accept the ${amendment.points.length === 1 ? 'change' : 'changes'} you asked for, so ${name} stays as it was issued. Your request and the chair’s decision are kept with the record of the conference.`,
      ),
      paragraph(complain),
    ];
  }
  const total = amendment.points.length;
  const whole = amendment.points.every((p) => p.decision === 'accepted');
  const what = whole
    ? total === 1
      ? 'the change you asked for'
      : 'the changes you asked for'
    : total === 1
      ? 'the change you asked for in part'
      : `${number(accepted)} of your ${number(total)} points, fully or in part`;
  return [
    paragraph(
      `The chair accepted ${what}. ${upperFirst(name)} will be written again as version ${version + 1} with ${accepted === 1 ? 'this change' : 'these changes'}. Version ${version + 1} starts by setting out what changed and why.`,
    ),
    paragraph(
      `When the chair has approved version ${version + 1}, it will be sent to everyone who received version ${version}, you included, in the same way as before. Version ${version} is kept on record, unchanged.`,
    ),
    paragraph(complain),
  ];
}

export function buildAmendmentDecisionLetter(input: BuildInput): WrittenDocument {
  const { facts } = input;
  const amendment = input.amendment;
  if (!amendment) throw new NotFoundError('The amendment request');
  const requester = facts.attendees.find((a) => a.inviteeId === amendment.requesterInviteeId);
  if (!requester) throw new NotFoundError('The person who asked for the amendment');
  const conference = `the ${lowerFirst(facts.conference.typeLabel)} for ${facts.children.map((c) => c.name).join(' and ')} on ${formatLongDate(facts.conference.scheduledDate)}`;
  const chair = facts.conference.chairName ?? 'The chair of the conference';
  const points = amendment.points.length;
  const blocks = present<Block>([
    ...letterOpening(input, requester.name),
    paragraph(
      `On ${formatLongDate(amendment.receivedOn)} we received your request to change ${documentName(amendment)} of ${conference}. You asked for ${points === 1 ? 'one change' : `${number(points)} changes`}. ${chair} has considered ${points === 1 ? 'it' : 'each of them'}, and this letter gives the decision and the reasons.`,
    ),
    section(input, 'amendment-request', 'Your request', [
      {
        type: 'summary',
        rows: present([
          { key: 'Document', value: upperFirst(documentName(amendment)) },
          { key: 'You received it on', value: formatLongDate(amendment.recordReceivedOn) },
          { key: 'We received your request on', value: formatLongDate(amendment.receivedOn) },
          { key: 'Requests were due by', value: formatLongDate(amendment.dueOn) },
        ]),
      },
      paragraph(
        amendment.late
          ? `Requests to change the record are due within 10 working days of receiving it, which for you was ${formatLongDate(amendment.dueOn)}. Your request reached us after that date. The chair has still considered every point and gives the decision on each below.`
          : 'Your request reached us within 10 working days of your receiving the document.',
      ),
    ]),
    section(
      input,
      'amendment-decisions',
      points === 1 ? 'The chair’s decision' : 'The chair’s decision on each point',
      amendment.points.map((p, i) =>
        part(`${points === 1 ? 'Your point' : `Point ${i + 1}`}: ${p.sectionLabel}`, [
          {
            type: 'summary',
            rows: [
              {
                key: 'The text you asked about',
                value: p.originalText.trim() || 'You did not quote the text as issued.',
              },
              { key: 'The change you asked for', value: p.requestedChange },
              { key: 'The chair’s decision', value: AMENDMENT_DECISION_LABELS[p.decision] },
              { key: 'The chair’s reasons', value: p.reasons },
            ],
          },
        ]),
      ),
    ),
    section(input, 'amendment-next-steps', 'What happens next', nextSteps(amendment)),
    freeText(input, 'amendment-letter-note', 'A note from the chair'),
    ...signOff(input),
    ...closingSections(input, 'letter'),
  ]);
  return { title: documentTitle(input), metadata: documentMetadata(input), blocks };
}
