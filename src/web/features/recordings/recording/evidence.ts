/** The evidence page: hashes, the copies naming their original, fixity checks and every audited use. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FixityResult } from '../../../../app/recordings/ports.ts';
import type { RecordingService } from '../../../../app/recordings/recording-service.ts';
import { hasAnyRole } from '../../../../domain/access/roles.ts';
import { englandDateTimeSeconds } from '../../../../domain/calendar/index.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { requestContext, str, type FormError } from '../../../forms/index.ts';
import { EXPORT_ROLES, MANAGE, MANAGER_ROLES, READ, recordingParams, type RecordingPagesOptions } from '../common.ts';
import { FIXITY_RESULT_TAGS, FIXITY_TRIGGER_LABELS, auditRow, exactBytes, recordingFacts } from '../list-view.ts';

/** What the page says after an integrity check run from it (`?checked=`). */
const CHECKED: Record<FixityResult, { type: 'success' | null; text: string }> = {
  ok: {
    type: 'success',
    text: 'The integrity check passed: the original and its playback copy are exactly as they were stored.',
  },
  mismatch: {
    type: null,
    text: 'The integrity check failed: a stored file has changed. This has been reported; do not rely on this recording until it has been looked into.',
  },
  missing: { type: null, text: 'The integrity check failed: a stored file is missing. This has been reported.' },
  unreadable: { type: null, text: 'The integrity check could not read a stored file. This has been reported.' },
};

type Evidence = Awaited<ReturnType<RecordingService['evidence']>>;

/** The sender's SHA-256 against the one computed when the file arrived, in words. */
function clientCheck(r: Evidence['recording']): string {
  if (r.clientSha256 === null)
    return 'No SHA-256 was given by the sender; the service computed its own when the file arrived';
  if (r.originalSha256 === null) return `Given by the sender: ${r.clientSha256}`;
  return r.clientSha256 === r.originalSha256
    ? 'Matches the SHA-256 the sender gave'
    : `Does not match the SHA-256 the sender gave (${r.clientSha256})`;
}

function evidenceModel({ recording: r, name, derivatives, fixity, events }: Evidence) {
  const fileLabel = (derivativeId: string | null) => {
    if (derivativeId === null) return 'Original';
    const d = derivatives.find((x) => x.id === derivativeId);
    return d?.kind === 'playback' ? 'Playback copy' : 'Disclosure copy';
  };
  return {
    recordingId: r.id,
    recordingHref: `/recordings/${r.id}`,
    r,
    name,
    facts: recordingFacts(r, null),
    stored: r.status === 'stored',
    storedAt: r.storedAt ? englandDateTimeSeconds(r.storedAt) : null,
    originalSize: exactBytes(r.originalSize),
    encryptedSize: exactBytes(r.originalBlobSize),
    clientCheck: clientCheck(r),
    derivatives: derivatives.map((d) => ({
      kind: d.kind === 'playback' ? 'Playback copy' : 'Disclosure copy',
      mediaType: d.mediaType,
      size: exactBytes(d.size),
      sha256: d.sha256,
      encryptedSha256: d.blobSha256,
      encryptedSize: exactBytes(d.blobSize),
      originalSha256: d.originalSha256,
      namesOriginal: d.originalSha256 === r.originalSha256,
      createdAt: englandDateTimeSeconds(d.createdAt),
    })),
    fixity: [...fixity].reverse().map((f) => ({
      at: englandDateTimeSeconds(f.checkedAt),
      file: fileLabel(f.derivativeId),
      trigger: FIXITY_TRIGGER_LABELS[f.trigger],
      tag: FIXITY_RESULT_TAGS[f.result],
      detail: f.detail ?? '',
    })),
    events: [...events].reverse().map(auditRow),
  };
}

export function evidenceRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const evidencePage = async (request: FastifyRequest, reply: FastifyReply, errors: FormError[] = []) => {
    const { rid } = recordingParams.parse(request.params);
    const evidence = await recordings.evidence(request.actor!, requestContext(request), rid);
    const checked = str((request.query as Record<string, unknown>)['checked']);
    if (errors.length) reply.code(409);
    const stored = evidence.recording.status === 'stored';
    return reply.view('recordings/evidence-recording.njk', {
      title: 'Evidence for the recording',
      ...evidenceModel(evidence),
      recordingId: rid,
      recordingHref: `/recordings/${rid}`,
      canCheck: hasAnyRole(request.actor!, MANAGER_ROLES) && stored,
      canExport: hasAnyRole(request.actor!, EXPORT_ROLES) && stored,
      checked: checked in CHECKED ? CHECKED[checked as FixityResult] : null,
      errors,
    });
  };

  app.get('/recordings/:rid/evidence', { config: READ }, async (request, reply) => evidencePage(request, reply));

  app.post('/recordings/:rid/evidence/check', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    let result: FixityResult;
    try {
      ({ result } = await recordings.checkFixityNow(request.actor!, requestContext(request), rid));
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NOT_STORED')
        return evidencePage(request, reply, [{ text: err.message, href: '#check' }]);
      throw err;
    }
    return reply.redirect(`/recordings/${rid}/evidence?checked=${result}`, 303);
  });
}
