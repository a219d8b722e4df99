/**
 * 002 §3.10: the child protection plan and core group letter: each child's plan (actions, who, by when, the
 * contingency and the review date), the core group's members with their roles and agencies, the first core
 * group meeting and what each member will do before it. Addressed as the decision letter is. Pure: no I/O.
 */
import type { BuildInput } from '../build-input.ts';
import type { Block, WrittenDocument } from '../model.ts';
import {
  closingSections,
  signOff,
  coreGroupTable,
  documentMetadata,
  documentTitle,
  firstCoreGroupDate,
  freeText,
  leadSocialWorkerRows,
  letterOpening,
  longDateOr,
  paragraph,
  plansBlocks,
  present,
  section,
} from './parts.ts';

export function buildPlanAndCoreGroupLetter(input: BuildInput): WrittenDocument {
  const { facts } = input;
  const members = coreGroupTable(facts);
  const lead = leadSocialWorkerRows(facts);
  const blocks = present<Block>([
    ...letterOpening(input),
    section(input, 'plan', 'The child protection plan', plansBlocks(facts)),
    section(
      input,
      'core-group',
      'The core group',
      present<Block>([
        members ?? paragraph('No core group members have been recorded yet.'),
        paragraph(
          `The first core group meeting will be on ${longDateOr(firstCoreGroupDate(facts), 'a date still to be set')}.`,
        ),
      ]),
    ),
    freeText(input, 'core-group-roles', 'What each member of the core group will do'),
    lead && section(input, 'lead-social-worker', 'The lead social worker', [lead]),
    ...signOff(input),
    ...closingSections(input, 'letter'),
  ]);
  return { title: documentTitle(input), metadata: documentMetadata(input), blocks };
}
