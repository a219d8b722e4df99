/**
 * 002 §3.2: the letter giving a family member excluded from all or part of a conference the reasons in
 * writing: how much of the conference they were excluded from, why, how their views were heard, what they will
 * still receive, and how to complain (W-7). Pure: no I/O.
 */
import { formatLongDate } from '../../calendar/index.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { BuildInput } from '../build-input.ts';
import { type Block, type WrittenDocument, paragraphsOf } from '../model.ts';
import {
  closingSections,
  signOff,
  documentMetadata,
  documentTitle,
  letterOpening,
  lowerFirst,
  paragraph,
  present,
  section,
  textOr,
} from './parts.ts';

export function buildExclusionLetter(input: BuildInput): WrittenDocument {
  const { facts } = input;
  const subject = facts.attendees.find((a) => a.inviteeId === input.subjectInviteeId);
  if (!subject?.exclusion) throw new NotFoundError('The excluded person');
  const exclusion = subject.exclusion;
  const conference = `the ${lowerFirst(facts.conference.typeLabel)} on ${formatLongDate(facts.conference.scheduledDate)}`;
  // The minute taker's plain-English reasons; until written, the reason recorded in the register.
  const written = paragraphsOf(input.sections['exclusion-explanation'] ?? '');
  const explanation = section(
    input,
    'exclusion-explanation',
    'Why you were excluded',
    written.length > 0 ? written : textOr(exclusion.reason, 'No reason was recorded.'),
  );
  const blocks = present<Block>([
    ...letterOpening(input, subject.name),
    section(input, 'exclusion-extent', 'Your exclusion from the conference', [
      paragraph(
        exclusion.extent === 'full'
          ? `The chair decided that you could not attend ${conference}.`
          : `The chair decided that you could not be present for part of ${conference}.`,
      ),
    ]),
    explanation,
    section(input, 'views-heard', 'How your views were heard', textOr(exclusion.howViewsHeard, 'Not recorded.')),
    section(input, 'what-you-will-receive', 'What you will receive', [
      paragraph(
        'You will still receive the decision letter and your copy of the conference record. Some information may be left out of your copy where the chair has decided it cannot be shared with you.',
      ),
    ]),
    ...signOff(input),
    ...closingSections(input, 'letter'),
  ]);
  return { title: documentTitle(input), metadata: documentMetadata(input), blocks };
}
