/** The request is closed once the copy has been sent and everyone told. */
import type { StepHandler } from './step.ts';

export const close: StepHandler = async ({ requests, actor, id, version, ctx }) => {
  await requests.close(actor, id, version, ctx);
  return { done: 'close' };
};
