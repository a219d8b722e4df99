/**
 * W-1: the decision letter, one for the child or sibling group, addressed to each person invited or attending:
 * whether a plan was made and its category, the reasons in plain English, the outline plan (or the child in need
 * or team around the child plan a child steps down to, 002 §3.8, §3.9), the lead social
 * worker and how to reach them, the first core group meeting, how to complain (W-7) and that the letter is
 * confidential (W-6). Pure: no I/O.
 */
import { formatLongDate } from '../../calendar/index.ts';
import type { BuildInput } from '../build-input.ts';
import type { Block, WrittenDocument } from '../model.ts';
import {
  closingSections,
  signOff,
  decisionParts,
  documentMetadata,
  documentTitle,
  firstCoreGroupDate,
  freeText,
  leadSocialWorkerRows,
  letterOpening,
  longDateOr,
  paragraph,
  part,
  present,
  section,
  stepDownBlocks,
} from './parts.ts';

/** The outline plan: each child's actions as a list, "What (who, by when)"; once when the siblings share a plan. */
function outlinePlan(input: BuildInput): Block[] {
  const { facts } = input;
  const lists = facts.children.map((child) => {
    const plan = facts.plans.find((p) => p.childId === child.id);
    const items = (plan?.actions ?? []).map(
      (a) => `${a.action} (${a.who}, ${a.byWhen ? `by ${formatLongDate(a.byWhen)}` : 'ongoing'})`,
    );
    return { child, items };
  });
  const withActions = lists.filter((l) => l.items.length > 0);
  if (withActions.length === 0) return [];
  const first = withActions[0]!.items.join('\n');
  if (withActions.length === lists.length && withActions.every((l) => l.items.join('\n') === first)) {
    return [{ type: 'list', items: withActions[0]!.items }];
  }
  return withActions.map(({ child, items }) => part(child.name, [{ type: 'list', items }]));
}

export function buildDecisionLetter(input: BuildInput): WrittenDocument {
  const { facts } = input;
  const plan = outlinePlan(input);
  const lead = leadSocialWorkerRows(facts);
  const coreGroupDate = firstCoreGroupDate(facts);
  const stepDown = stepDownBlocks(facts);
  const blocks = present<Block>([
    ...letterOpening(input),
    section(
      input,
      'decisions',
      'What the conference decided',
      decisionParts(facts, { equallySplit: false, siblingGroup: true }),
    ),
    freeText(input, 'plain-english-reasons', 'Why the conference made its decision'),
    plan.length > 0 && section(input, 'plan', 'The outline plan', plan),
    // 002 §3.8, §3.9: no plan, or the plan ends: the outline plan of the support that continues.
    stepDown && section(input, 'step-down', 'The support that continues', stepDown),
    lead && section(input, 'lead-social-worker', 'Your lead social worker', [lead]),
    coreGroupDate &&
      section(input, 'first-core-group', 'The first core group meeting', [
        paragraph(`The first core group meeting will be on ${longDateOr(coreGroupDate, '')}.`),
      ]),
    ...signOff(input),
    ...closingSections(input, 'letter'),
  ]);
  return { title: documentTitle(input), metadata: documentMetadata(input), blocks };
}
