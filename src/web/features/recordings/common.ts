/**
 * What the recording pages share: who may do what, the path ids, the services the feature is given,
 * and the one way a page about a recording is rendered (its heading from the RecordingDetail).
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { RecordingDetail, RecordingService } from '../../../app/recordings/recording-service.ts';
import type { Services } from '../../../composition.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { formatLongDate } from '../../plugins/format.ts';
import { fieldIds, idSchema, problemsAsErrors, type FormError } from '../../forms/index.ts';
import { recordingBase, recordingModel } from './recording-view.ts';

/** The services the audio record's pages use, and no others. */
export interface RecordingPagesOptions {
  recordings: RecordingService;
  /** Recording files arriving (a plain form and tus) under the data folder. */
  uploads: Services['uploads'];
  /** The largest recording file accepted, in bytes. */
  recordingMaxBytes: number;
  /** Cookies only over HTTPS (the playback grant's, as the session's). */
  cookieSecure: boolean;
}

/** Who manages recordings (the service checks the same roles): the chair and business support. */
export const MANAGER_ROLES: readonly Role[] = ['chair', 'business_support'];
/** Who may export the original. */
export const EXPORT_ROLES: readonly Role[] = ['chair', 'business_support', 'access_to_records', 'qa_manager'];
export const READ = { access: CHILD_RECORD_ROLES };
export const MANAGE = { access: MANAGER_ROLES };
export const EXPORT = { access: EXPORT_ROLES };

export const conferenceParams = z.object({ id: idSchema });
export const recordingParams = z.object({ rid: idSchema });

/** The id of the input a rule's field names: `speakers[0].name` is `speakers-0-name`, a date its day box. */
export const fieldId = fieldIds({
  renames: { speakers: 'speakers-0-name', breaks: 'breaks-0-startedAt' },
  dates: ['recordedOn'],
  rows: true,
});

/** A rule's problems as error summary items; access and not-found errors go on to the error pages. */
export const ruleErrors = (err: unknown): FormError[] => problemsAsErrors(err, fieldId);

/** What the recording page's banner says after a change made on one of its forms (`?done=`). */
export const DONE_MESSAGES: Record<string, string> = {
  label: 'The recording’s label is saved.',
  statement: 'The explanatory statement is confirmed.',
  'bookmark-added': 'The bookmark is added.',
  'bookmark-removed': 'The bookmark is removed.',
  'withheld-added': 'The withheld part is marked.',
  'withheld-removed': 'The withheld part is removed.',
  'repair-queued': 'A new copy for listening is being made from the original.',
  discarded: 'The recording is discarded.',
};

/** A page about one recording, with its heading; 400 when it shows errors. */
export function recordingPage(
  reply: FastifyReply,
  template: string,
  detail: RecordingDetail,
  title: string,
  extra: Record<string, unknown> = {},
  errors: FormError[] = [],
) {
  if (errors.length) reply.code(400);
  return reply.view(`recordings/${template}`, { ...recordingModel(detail), title, errors, ...extra });
}

/** Back to the recording page after a change, with its banner, at the section changed. */
export function backToRecording(reply: FastifyReply, rid: string, what: keyof typeof DONE_MESSAGES, anchor: string) {
  return reply.redirect(`${recordingBase(rid)}?done=${what}#${anchor}`, 303);
}

/** "Ava and Ben Okafor" for one family; full names otherwise. */
function childrenNames(names: readonly string[]): string {
  const split = names.map((n) => {
    const parts = n.split(' ');
    return { given: parts.slice(0, -1).join(' ') || n, family: parts.length > 1 ? parts.at(-1)! : '' };
  });
  const families = new Set(split.map((s) => s.family));
  const join = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : (xs[0] ?? ''));
  if (families.size === 1 && split[0]?.family) return `${join(split.map((s) => s.given))} ${split[0].family}`;
  return join([...names]);
}

/** The caption and links at the top of the upload, evidence and export pages. */
export function conferenceHeading(conference: RecordingDetail['conference']) {
  return {
    caption: `${conference.title} – ${formatLongDate(conference.scheduledDate)} – ${childrenNames(conference.childNames)}`,
    conferenceHref: `/conferences/${conference.id}`,
    recordingsHref: `/conferences/${conference.id}/recordings`,
  };
}
