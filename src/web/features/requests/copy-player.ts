/**
 * Listening to a prepared disclosure copy before it is approved (R-3; a second person approves the
 * copy): a player that streams the decrypted copy with HTTP Range requests, like the recording
 * player, with every withheld span marked on its timeline so the approver can go straight to each
 * one and hear that it is silent.
 *
 * Who: business support (who prepare copies) and every role that may approve one (the chair, QA,
 * access to records), as `LISTEN_ROLES`; anyone else is refused by the route's role check, which
 * audits the denial. The disclosure copy service checks access to every child of the conference and
 * audits every play (each range the browser asks for) with its purpose.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CopyFileView } from '../../../app/requests/disclosure-copies.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { formatDuration } from '../../../domain/recordings/index.ts';
import { REQUEST_STEP_ROLES } from '../../../domain/requests/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { requestContext } from '../../forms/index.ts';
import type { RequestPagesOptions } from './shared.ts';
import { answerRange } from '../recordings/recording-range.ts';

/** Who may listen to a prepared copy: whoever prepares copies and whoever may approve one. */
export const LISTEN_ROLES: readonly Role[] = [
  ...new Set([...REQUEST_STEP_ROLES['prepare-copy'], ...REQUEST_STEP_ROLES['approve-copy']]),
];

/** The purpose recorded with every play. */
const PURPOSE = 'checking the copy before it is approved: every withheld part must be silent';

const fileParams = z.object({ id: idSchema, copyId: idSchema, fileId: idSchema });
const copyParams = z.object({ id: idSchema, copyId: idSchema });

/** The sentence the copy's page shows, and its script reads out in the live region, at each state. */
export function progressText(p: { state: string; percent: number }): string {
  const percent = Math.max(0, Math.min(100, Math.round(p.percent)));
  if (p.state === 'ready') return 'The copy is ready.';
  if (p.state === 'failed') return 'The copy could not be made.';
  return `${percent}% done`;
}

/** The copy's timeline: the notice, then each withheld span as the copy states it (its log, in samples). */
export function copyTimeline(file: CopyFileView) {
  const duration = Math.max(1, file.durationMs);
  const item = (atMs: number, text: string) => ({ seconds: atMs / 1000, time: formatDuration(atMs), text });
  const withheld = file.withheld.map((w, i) => ({
    ...item(
      w.output.startMs,
      `Withheld part ${i + 1}, until ${formatDuration(w.output.endMs)}: ${w.reasonLabel}. It must be silent.`,
    ),
    // For the picture of the timeline (SVG attributes, so no inline style is needed under the CSP).
    x: (1000 * w.output.startMs) / duration,
    width: Math.max(2, (1000 * (w.output.endMs - w.output.startMs)) / duration),
  }));
  return {
    items: [item(0, 'The spoken notice that the recording is confidential'), ...withheld],
    withheld,
    // What the recording player's script needs (no waveform: the copy has no precomputed peaks).
    playerData: JSON.stringify({
      durationSeconds: file.durationMs / 1000,
      peaks: [],
      withheld: file.withheld.map((w) => ({ start: w.output.startMs / 1000, end: w.output.endMs / 1000 })),
      bookmarks: [],
    })
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026'),
  };
}

export async function copyPlayerRoutes(
  app: FastifyInstance,
  opts: Pick<RequestPagesOptions, 'requests' | 'disclosureCopies'>,
): Promise<void> {
  const { requests, disclosureCopies: copies } = opts;
  const LISTEN = { access: LISTEN_ROLES };

  /** The copy, its file, and that both belong to this request: anything else is not found. */
  const load = async (request: FastifyRequest) => {
    const { id, copyId, fileId } = fileParams.parse(request.params);
    const status = await copies.status(request.actor!, copyId, requestContext(request));
    const file =
      status.requestId === id && status.state === 'ready' ? status.files.find((f) => f.fileId === fileId) : undefined;
    return file ? { id, copyId, fileId, copies, status, file } : null;
  };

  app.get('/requests/:id/copies/:copyId/files/:fileId', { config: LISTEN }, async (request, reply) => {
    const { id, copyId, fileId } = fileParams.parse(request.params);
    const found = await requests.copyFilePage(request.actor!, id, copyId, fileId, requestContext(request));
    if (!found) return reply.callNotFound();
    const { view, copy: status, file } = found;
    const base = `/requests/${id}`;
    return reply.view('requests/copy-player.njk', {
      title: 'Listen to the copy',
      view,
      base,
      copyHref: `${base}/copies/${copyId}`,
      audioHref: `${base}/copies/${copyId}/files/${file.fileId}/audio`,
      file,
      fileCount: status.files.length,
      otherFiles: status.files
        .filter((f) => f.fileId !== file.fileId)
        .map((f) => ({ href: `${base}/copies/${copyId}/files/${f.fileId}`, text: `Recording ${f.ordinal}` })),
      durationText: formatDuration(file.durationMs),
      timeline: copyTimeline(file),
      mayApprove: view.actions.includes('approve-copy') && view.copy?.copyId === copyId,
    });
  });

  /**
   * The copy's progress as JSON, for the script on the copy's page that updates its live region (the
   * page itself does not refresh, so a screen reader keeps its place). Same access check as the page;
   * state and percentage only, so it is not audited.
   */
  app.get('/requests/:id/copies/:copyId/progress', { config: LISTEN }, async (request, reply) => {
    const { id, copyId } = copyParams.parse(request.params);
    const p = await copies.progress(request.actor!, copyId, requestContext(request));
    if (p.requestId !== id) return reply.callNotFound();
    const percent = Math.max(0, Math.min(100, Math.round(p.percent)));
    return reply
      .header('Cache-Control', 'no-store')
      .send({ state: p.state, percent, text: progressText(p), done: p.state === 'ready' || p.state === 'failed' });
  });

  /** The copy's MP3, decrypted a range at a time (recording-range.ts has the Range rules). Every request is audited. */
  app.get('/requests/:id/copies/:copyId/files/:fileId/audio', { config: LISTEN }, async (request, reply) => {
    const found = await load(request);
    if (!found) return reply.callNotFound();
    const { copyId, copies, file } = found;
    const ifRange = request.headers['if-range'];
    const answer = answerRange(request.headers.range, file.sizeBytes, Array.isArray(ifRange) ? ifRange[0] : ifRange);
    reply.header('Accept-Ranges', 'bytes');
    reply.header('Cache-Control', 'no-store');
    if (answer.kind === 'unsatisfiable')
      return reply.code(416).header('Content-Range', `bytes */${file.sizeBytes}`).send();
    const [start, end] = answer.kind === 'partial' ? [answer.start, answer.end] : [0, file.sizeBytes - 1];
    if (end < start) return reply.type('audio/mpeg').header('Content-Length', '0').send(Buffer.alloc(0));
    // One audited open per request; the service decrypts a range a slice at a time, never the whole copy.
    const range = answer.kind === 'partial' ? { range: { start, end } } : {};
    const opened = await copies
      .listen(request.actor!, copyId, file.fileId, PURPOSE, { ctx: requestContext(request), ...range })
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'RANGE_NOT_SATISFIABLE') return null;
        throw err;
      });
    if (!opened) return reply.code(416).header('Content-Range', `bytes */${file.sizeBytes}`).send();
    reply.type('audio/mpeg');
    reply.header('Content-Length', String(end - start + 1));
    if (answer.kind === 'partial') reply.code(206).header('Content-Range', `bytes ${start}-${end}/${file.sizeBytes}`);
    return reply.send(opened.stream);
  });
}
