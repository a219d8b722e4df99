/**
 * 002 §3.5: the notes of a conference adjourned because it was not quorate: who was present and who sent
 * apologies, the steps agreed to keep the children safe until it meets again, the new date, and what was
 * discussed before it was adjourned. Pure: no I/O.
 */
import { formatLongDate } from '../../calendar/index.ts';
import type { BuildInput } from '../build-input.ts';
import type { Block, WrittenDocument } from '../model.ts';
import {
  arrangementsSection,
  attendanceBlocks,
  closingSections,
  conferenceSummary,
  documentMetadata,
  documentTitle,
  freeText,
  paragraph,
  present,
  section,
  textOr,
} from './parts.ts';

export function buildInquorateNotes(input: BuildInput): WrittenDocument {
  const { facts } = input;
  const c = facts.conference;
  const blocks = present<Block>([
    conferenceSummary(facts, { birthDates: true }),
    arrangementsSection(input, 'Help with this document'),
    paragraph(
      'The conference could not go ahead because not enough agencies were present to make decisions (it was not quorate). It has been adjourned.',
    ),
    section(input, 'attendance', 'Present and apologies', attendanceBlocks(facts)),
    section(
      input,
      'safety-steps',
      'Keeping the children safe until the conference meets again',
      textOr(c.adjournmentSafetySteps, 'No steps have been recorded.'),
    ),
    section(input, 'new-date', 'When the conference will meet again', [
      paragraph(
        c.reconveneDate
          ? `The conference will meet again on ${formatLongDate(c.reconveneDate)}.`
          : 'The new date has not been set yet. Everyone invited will be told when it is.',
      ),
    ]),
    freeText(input, 'inquorate-discussion'),
    ...closingSections(input, 'document'),
  ]);
  return { title: documentTitle(input), metadata: documentMetadata(input), blocks };
}
