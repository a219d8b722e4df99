/** the time limit is extended for a complex request, with the reason and the date the requester was told. */
import { parseDateInput } from '../../../forms/index.ts';
import { answer, type StepHandler } from './step.ts';

export const extend: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  const told = parseDateInput(values, 'toldOn', 'The date the requester was told');
  if (told.error) return { errors: [{ text: told.error, href: '#extend-toldOn-day' }] };
  await requests.extend(actor, id, version, { reason: answer(values, 'reason'), toldOn: told.iso ?? '' }, ctx);
  return { done: 'extend' };
};
