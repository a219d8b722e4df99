/**
 * Pause (a break with its reason), resume (with any change of who is present) and stop: plain
 * forms without JavaScript, JSON for the recorder's script when it asks for it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BREAK_REASON_MAX } from '../../../../domain/recordings/recording.ts';
import { DomainError, InvalidDetailsError } from '../../../../domain/shared/errors.ts';
import { bodyOf, fieldIds, problemsAsErrors, requestContext, text } from '../../../forms/index.ts';
import { MANAGER_ROLES, recordingParams, type RecordingPagesOptions } from '../common.ts';
import { CONFLICT_CODES, jsonErrorHandler, jsonProblem, wantsJson } from './json-problems.ts';
import { recorderPage } from './recorder.ts';

const control = { config: { access: MANAGER_ROLES }, errorHandler: jsonErrorHandler(false) };

export function controlRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  /** Runs a control; JSON for the script, a redirect or the page with its errors for a form. */
  const runControl = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: Record<string, string>,
    action: () => Promise<{ next: string; state: string }>,
    renames: Record<string, string>,
  ) => {
    try {
      const { next, state } = await action();
      if (wantsJson(request)) return reply.send({ state, next });
      return reply.redirect(next, 303);
    } catch (err) {
      if (wantsJson(request)) {
        const problem = jsonProblem(err);
        if (problem.status >= 500) throw err;
        return reply.code(problem.status).send(problem.body);
      }
      const errors = problemsAsErrors(err, fieldIds({ renames }));
      const conflict = err instanceof DomainError && CONFLICT_CODES.has(err.code);
      return recorderPage(recordings, request, reply, rid, { errors, values, status: conflict ? 409 : 400 });
    }
  };

  app.post('/recordings/:rid/pause', control, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const body = bodyOf(request);
    const reason = text(body, 'reason', BREAK_REASON_MAX * 2);
    const atText = text(body, 'atMs', 20).trim();
    const atMs = /^\d{1,12}$/.test(atText) ? Number(atText) : NaN;
    const pause = async () => {
      if (Number.isNaN(atMs))
        throw new InvalidDetailsError([
          { field: 'atMs', message: 'The time of the break in the recording is missing' },
        ]);
      await recordings.pause(request.actor!, requestContext(request), rid, { atMs, reason });
      return { state: 'paused', next: `/recordings/${rid}/live?done=pause` };
    };
    return runControl(request, reply, rid, { reason }, pause, { reason: 'reason', atMs: 'reason' });
  });

  app.post('/recordings/:rid/resume', control, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const participantChanges = text(bodyOf(request), 'participantChanges', BREAK_REASON_MAX * 2);
    const resume = async () => {
      await recordings.resume(request.actor!, requestContext(request), rid, {
        participantChanges: participantChanges || null,
      });
      return { state: 'recording', next: `/recordings/${rid}/live?done=resume` };
    };
    return runControl(request, reply, rid, { participantChanges }, resume, {
      participantChanges: 'participantChanges',
    });
  });

  app.post('/recordings/:rid/stop', control, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const stop = async () => {
      const ctx = requestContext(request);
      await recordings.stop(request.actor!, ctx, rid);
      const after = await recordings.detail(request.actor!, ctx, rid);
      // Nothing arrived: the recorder page says so. Otherwise the recording's own page shows it being stored.
      if (after.recording.status === 'rejected') return { state: 'rejected', next: `/recordings/${rid}/live` };
      return { state: after.recording.status, next: `/recordings/${rid}` };
    };
    return runControl(request, reply, rid, {}, stop, {});
  });
}
