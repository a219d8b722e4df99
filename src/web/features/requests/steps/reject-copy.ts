/** the copy is sent back to be prepared again, with the reason. */
import { answer, type StepHandler } from './step.ts';

export const rejectCopy: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  await requests.rejectCopy(actor, id, version, answer(values, 'reason'), ctx);
  return { done: 'reject-copy' };
};
