/** The requester withdraws the request; the reason is recorded. */
import { answer, type StepHandler } from './step.ts';

export const withdraw: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  await requests.withdraw(actor, id, version, answer(values, 'reason'), ctx);
  return { done: 'withdraw' };
};
