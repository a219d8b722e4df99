/** business support records which parts they listened to and that it is the right recording. */
import { answer, type StepHandler } from './step.ts';

export const checkRecording: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  await requests.checkRecording(
    actor,
    id,
    version,
    {
      partsListened: answer(values, 'partsListened'),
      confirmedRightRecording: answer(values, 'confirmedRightRecording') === 'yes',
    },
    ctx,
  );
  return { done: 'check-recording' };
};
