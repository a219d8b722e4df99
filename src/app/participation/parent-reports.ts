/**
 * 002 §3.2, 001: a parent's own report (a file they sent, checked by its content like agencies' reports, or text typed
 * in for them), kept in the same encrypted file store as agencies' reports and shown beside them; and the help
 * offered or arranged so the parent can take part.
 */
import type { Readable } from 'node:stream';
import type { Actor } from '../../domain/access/roles.ts';
import { londonDateOf } from '../../domain/calendar/iso-date.ts';
import { checkHelp, checkTypedReport, maySendParentReport } from '../../domain/participation/parent-reports.ts';
import { hasControlCharacter } from '../../domain/shared/text.ts';
import { DomainError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories } from '../unit-of-work.ts';
import { BlobTooLargeError } from '../blobs/blob-store.ts';
import { DOCUMENT_MEDIA_TYPES, detectDocumentFormat } from '../blobs/document-format.ts';
import type { ParentReportFormat } from './ports.ts';
import { changeParticipation } from './change.ts';
import { OPEN, type ParticipationDeps, auditConference, onConference } from './shared.ts';
import { type ParentReportView, type ParticipationView, reportView } from './views.ts';

/** The largest report taken, as for agencies' reports (20 MB). */
export const MAX_PARENT_REPORT_BYTES = 20 * 1024 * 1024;

export const PARENT_REPORT_MEDIA_TYPES: Record<ParentReportFormat, string> = {
  ...DOCUMENT_MEDIA_TYPES,
  txt: 'text/plain; charset=utf-8',
};

/** A file as a parent's report: a PDF, Word or OpenDocument text document, or plain text (UTF-8), by its content. */
export function detectParentReportFormat(content: Uint8Array): ParentReportFormat | 'macros' | null {
  const found = detectDocumentFormat(content);
  if (found.format) return found.format;
  if (found.reason === 'macros') return 'macros';
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
    // Plain text: tabs and line breaks, nothing else below a space (a binary file fails here).
    if (text.trim() && !hasControlCharacter(text.replace(/[\t\r\n]/g, ' '))) return 'txt';
  } catch {
    // Not UTF-8: not text.
  }
  return null;
}

function checkFile(content: Uint8Array | null | undefined): ParentReportFormat {
  const problem = (message: string) => new InvalidDetailsError([{ field: 'file', message }]);
  if (!content || content.byteLength === 0)
    throw problem(content ? 'The selected file is empty' : 'Select the report file');
  if (content.byteLength > MAX_PARENT_REPORT_BYTES) throw problem('The selected file must be smaller than 20 MB');
  const format = detectParentReportFormat(content);
  if (format === 'macros')
    throw problem(
      'The selected file contains macros. Save it without macros (for example as a PDF or .docx) and upload it again',
    );
  if (!format)
    throw problem(
      'The selected file must be a PDF, a Word document (.docx or .doc), OpenDocument text (.odt) or a text file',
    );
  return format;
}

export type ParentReportInput = { file: Uint8Array | null | undefined } | { text: string | null | undefined };

export async function addParentReport(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  inviteeId: string,
  input: ParentReportInput,
  ctx: RequestContext,
): Promise<ParentReportView> {
  const action = 'participation.parent-report.add';
  const typed = 'text' in input;
  const content = typed ? new TextEncoder().encode(checkTypedReport(input.text)) : input.file;
  const format: ParentReportFormat = typed ? 'txt' : checkFile(content);
  const checkTarget = async (repos: Repositories, id: string) => {
    const invitee = (await repos.meeting.listInvitees(id)).find((i) => i.id === inviteeId);
    if (!invitee) throw new NotFoundError('The parent');
    if (!maySendParentReport(invitee.kind))
      throw new DomainError(
        'NOT_A_PARENT',
        'Only a parent or carer on the invitation list sends a report of their own',
      );
    return invitee;
  };
  // Access first, so nothing from someone without access is ever written to the store.
  await onConference(deps, actor, conferenceId, ctx, { access: 'edit', action, rule: OPEN, lock: false }, (s) =>
    checkTarget(s.repos, s.conference.id),
  );
  let stored;
  try {
    stored = await deps.blobs.put(content!, { maxBytes: MAX_PARENT_REPORT_BYTES });
  } catch (err) {
    if (err instanceof BlobTooLargeError)
      throw new InvalidDetailsError([{ field: 'file', message: 'The selected file must be smaller than 20 MB' }]);
    throw err;
  }
  try {
    return await onConference(deps, actor, conferenceId, ctx, { access: 'edit', action, rule: OPEN }, async (s) => {
      const invitee = await checkTarget(s.repos, s.conference.id);
      const now = deps.clock.now();
      const id = await s.repos.participation.insertParentReport(s.conference.id, {
        inviteeId,
        source: typed ? 'typed' : 'file',
        blobKey: stored.key,
        fileSha256: stored.sha256,
        format,
        sizeBytes: stored.size,
        receivedOn: londonDateOf(now),
        uploadedByUserId: actor.id,
      });
      await auditConference(s.repos, ctx, action, s.conference.id, {
        reportId: id,
        inviteeId,
        source: typed ? 'typed' : 'file',
        format,
        sizeBytes: stored.size,
        sha256: stored.sha256,
      });
      const report = (await s.repos.participation.listParentReports(s.conference.id)).find((r) => r.id === id)!;
      return reportView(report, invitee.name);
    });
  } catch (err) {
    await deps.blobs.delete(stored.key).catch(() => undefined);
    throw err;
  }
}

/** Opens a parent's report for reading; audited once the file is open. */
export function openParentReport(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  reportId: string,
  ctx: RequestContext,
): Promise<{ report: ParentReportView; stream: Readable; mediaType: string; fileName: string }> {
  const action = 'participation.parent-report.download';
  return onConference(deps, actor, conferenceId, ctx, { access: 'view', action }, async ({ repos, conference }) => {
    const report = (await repos.participation.listParentReports(conference.id)).find((r) => r.id === reportId);
    if (!report) throw new NotFoundError('The report');
    const invitee = (await repos.meeting.listInvitees(conference.id)).find((i) => i.id === report.inviteeId);
    const stream = await deps.blobs.get(report.blobKey);
    try {
      await auditConference(repos, ctx, action, conference.id, { reportId, sha256: report.fileSha256 });
    } catch (err) {
      stream.destroy();
      throw err;
    }
    return {
      report: reportView(report, invitee?.name ?? ''),
      stream,
      mediaType: PARENT_REPORT_MEDIA_TYPES[report.format],
      fileName: `${conference.scheduledDate}-parent-report.${report.format}`,
    };
  });
}

export function recordHelp(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  inviteeId: string,
  input: { kind: unknown; status: unknown; arrangedBy: string | null | undefined; details: string | null | undefined },
  ctx: RequestContext,
): Promise<ParticipationView> {
  const action = 'participation.help.record';
  return changeParticipation(deps, actor, conferenceId, ctx, action, OPEN, async ({ repos, conference }, by) => {
    const invitee = (await repos.meeting.listInvitees(conference.id)).find((i) => i.id === inviteeId);
    if (!invitee || !maySendParentReport(invitee.kind)) throw new NotFoundError('The parent');
    const help = checkHelp(input);
    await repos.participation.saveHelp(conference.id, inviteeId, help, by);
    return { inviteeId, kind: help.kind, status: help.status };
  });
}

export type { ParticipationView };
