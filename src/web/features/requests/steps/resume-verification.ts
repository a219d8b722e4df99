/** after details that did not match, the chair lets business support ask the requester again (with a note). */
import { answer, type StepHandler } from './step.ts';

export const resumeVerification: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  await requests.resumeVerification(actor, id, version, answer(values, 'note'), ctx);
  return { done: 'resume-verification' };
};
