/** what was done when the copy was sent, plus anyone business support told another way. */
import { NOTIFIED_PARTIES, type NotifiedParty } from '../../../../domain/requests/index.ts';
import { ticked } from '../../../forms/index.ts';
import type { StepHandler } from './step.ts';

export const recordNotifications: StepHandler = async ({ requests, actor, id, version, body, ctx }) => {
  const toldOtherwise = ticked(body, 'toldOtherwise').filter((x): x is NotifiedParty =>
    (NOTIFIED_PARTIES as readonly string[]).includes(x),
  );
  await requests.recordNotifications(actor, id, version, ctx, toldOtherwise);
  return { done: 'record-notifications' };
};
