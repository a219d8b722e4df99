/**
 * The draft page's model: the sections as a form with the chair's comments under each, the recordings to play
 * beside it (R-6) with their bookmarks as a table of contents, what is withheld from whom (W-3), who receives a
 * copy and what is arranged for them (W-1, W-4), and the actions the person may take now.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommentRecord } from '../../../app/documents/documents-ports.ts';
import type { DraftRecording, DraftView } from '../../../app/documents/use-cases.ts';
import { englandDateTime } from '../../../domain/calendar/index.ts';
import { WITHHOLDING_REASON_LABELS, describeWithheldFrom } from '../../../domain/documents/withholding.ts';
import { formatDuration } from '../../../domain/recordings/recording.ts';
import { type FieldIds, type FormError, type FormValues, fieldIds, readingContext } from '../../forms/index.ts';
import { type DocumentPagesOptions, draftBase, draftHeading, renderPage } from './shared.ts';

/** The form field (and input id) of a free-text section. */
export const sectionField = (sectionId: string) => `section-${sectionId}`;

/** The form as last saved: each section's text and the version it was read at. */
export function savedValues(view: DraftView): FormValues {
  const values: FormValues = { version: String(view.version) };
  for (const s of view.sections) values[sectionField(s.id)] = s.text;
  return values;
}

/** Where a rule's field points on the draft page: a section's problem at its textarea. */
export function draftIds(view: DraftView): FieldIds {
  const fallback = fieldIds();
  return (field) => {
    const id = field.replace(/^sections[.[]/, '').replace(/\]$/, '');
    const section = view.sections.find((s) => s.id === id || s.id === field);
    return section ? sectionField(section.id) : fallback(field);
  };
}

/** The recording chosen to play beside the form: the one asked for, else the first (the chair's dictation first). */
async function playerModel(
  request: FastifyRequest,
  recordings: DocumentPagesOptions['recordings'],
  view: DraftView,
): Promise<Record<string, unknown>> {
  const asked = (request.query as Record<string, unknown> | undefined)?.['listen'];
  const items = view.recordings.map((r) => ({ ...r, durationText: durationText(r) }));
  const chosen = items.find((r) => r.id === asked) ?? items[0];
  if (!chosen) return { recordingItems: items, player: null };
  const { detail, until } = await recordings.listening(request.actor!, readingContext(request), chosen.id);
  const stored = detail.recording.status === 'stored' && detail.playback !== null;
  return {
    recordingItems: items,
    player: {
      ...chosen,
      stored,
      playable: stored && until !== null,
      untilText: until ? englandDateTime(until) : null,
      audioHref: `/recordings/${chosen.id}/audio`,
      // The reason page brings the person back here (this draft, this recording) once they have given it.
      listenHref: `/recordings/${chosen.id}/listen?returnTo=${encodeURIComponent(draftBase(view.conferenceId, view.id))}`,
      contents: chosen.bookmarks
        .map((b) => ({ seconds: b.atSeconds, time: formatDuration(b.atSeconds * 1000), text: b.label }))
        .sort((a, b) => a.seconds - b.seconds),
    },
  };
}

const durationText = (r: DraftRecording) =>
  r.durationSeconds === null ? null : formatDuration(Math.round(r.durationSeconds * 1000));

/** Each block that can be withheld, with what is withheld from whom. */
export function withholdingRows(view: DraftView) {
  return view.withholdable.map((b) => ({
    ...b,
    marks: (view.withholdings[b.id] ?? []).map(
      (w) => `Left out of ${describeWithheldFrom(w.from)}: ${WITHHOLDING_REASON_LABELS[w.reason]}`,
    ),
  }));
}

const commentModel = (c: CommentRecord) => ({
  ...c,
  createdText: `${c.authorName ?? 'The chair'}, ${englandDateTime(c.createdAt)}`,
  resolvedText: c.resolvedAt
    ? `Resolved ${englandDateTime(c.resolvedAt)}${c.resolvedByName ? ` by ${c.resolvedByName}` : ''}`
    : null,
});

/** The draft page, with the form's values (as typed when it comes back with errors). */
export async function draftPage(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: DocumentPagesOptions,
  view: DraftView,
  values: FormValues,
  extra: { done?: string | null; errors?: FormError[]; status?: 400 | 409 } = {},
) {
  const sections = view.sections.map((s) => ({
    ...s,
    field: sectionField(s.id),
    openComments: s.comments.filter((c) => !c.resolvedAt).map(commentModel),
    resolvedComments: s.comments.filter((c) => c.resolvedAt).map(commentModel),
    accepted: s.accepted.map((a) => ({
      ...a,
      decisionText: a.decision === 'accepted' ? 'Accepted' : 'Accepted in part',
      href: `/conferences/${view.conferenceId}/amendments/${a.requestId}`,
    })),
  }));
  return renderPage(
    reply,
    'draft.njk',
    view.label,
    {
      ...draftHeading(view),
      done: extra.done ?? null,
      values,
      sections,
      updatedText: `${englandDateTime(view.updatedAt)}${view.updatedByName ? ` by ${view.updatedByName}` : ''}`,
      approvedText: view.approvedAt
        ? `${englandDateTime(view.approvedAt)}${view.approvedByName ? ` by ${view.approvedByName}` : ''}`
        : null,
      missingLabels: view.missing.map((id) => view.sections.find((s) => s.id === id)?.label ?? id),
      withholding: withholdingRows(view),
      ...(await playerModel(request, opts.recordings, view)),
    },
    extra.errors ?? [],
    extra.status,
  );
}
