/** The request is refused, with the reason. */
import { answer, type StepHandler } from './step.ts';

export const refuse: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  await requests.refuse(actor, id, version, answer(values, 'reason'), ctx);
  return { done: 'refuse' };
};
