/**
 * A child's record as its page shows it: the record (its reading audited by the people service) and the
 * recordings kept on it, each by the name that tells it apart. The record is read first, so a
 * person who may not see the child is refused (and the refusal audited) before any recording is listed.
 */
import type { RequestContext } from '../audit/audit-log.ts';
import type { Actor } from '../../domain/access/roles.ts';
import type { RecordingService } from '../recordings/recording-service.ts';
import type { ChildView, PeopleService } from './people-service.ts';

export type KeptRecording = Awaited<ReturnType<RecordingService['listForChild']>>[number];

export interface ChildRecordView extends ChildView {
  recordings: KeptRecording[];
}

export interface ChildRecordDeps {
  people: Pick<PeopleService, 'getChildRecord'>;
  recordings: Pick<RecordingService, 'listForChild'>;
}

export async function readChildRecord(
  deps: ChildRecordDeps,
  actor: Actor,
  childId: string,
  ctx: RequestContext,
): Promise<ChildRecordView> {
  const view = await deps.people.getChildRecord(actor, childId, ctx);
  const recordings = await deps.recordings.listForChild(actor, ctx, childId);
  return { ...view, recordings };
}
