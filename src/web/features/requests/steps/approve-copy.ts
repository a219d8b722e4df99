/** a second person, not whoever prepared it, approves the copy after listening to it. */
import type { StepHandler } from './step.ts';

export const approveCopy: StepHandler = async ({ requests, actor, id, version, ctx }) => {
  await requests.approveCopy(actor, id, version, ctx);
  return { done: 'approve-copy' };
};
