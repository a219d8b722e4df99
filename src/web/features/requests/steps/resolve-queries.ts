/** business support records the chair's answers to their queries as resolved (a note is optional). */
import { answer, type StepHandler } from './step.ts';

export const resolveQueries: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  await requests.resolveQueries(actor, id, version, answer(values, 'note') || null, ctx);
  return { done: 'resolve-queries' };
};
