/** the requester is emailed to confirm their address is secure and to give the children's details. */
import type { StepHandler } from './step.ts';

export const requestVerification: StepHandler = async ({ requests, actor, id, version, ctx }) => {
  await requests.requestVerification(actor, id, version, ctx);
  return { done: 'request-verification' };
};
