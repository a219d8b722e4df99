/**
 * The files a secure link to an issued document releases (W-4, W-6, A-6): the recipient's own PDFs of the issue the
 * sending was for (the large-print one where it was arranged), nothing else. They are read as the written record's
 * download reads them (`readCopy`): decrypted and checked against the SHA-256 kept when they were issued, so a copy
 * that is not what was issued is refused (CopyIntegrityError) before a byte is released. File names name no person.
 */
import { Readable } from 'node:stream';
import { DOCUMENT_KIND_LABELS } from '../../domain/documents/model.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { CopyFileInfo, DocumentAbout, DocumentCopyFiles } from '../requests/delivery-ports.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { IssuedRecord } from './documents-ports.ts';
import { type IssuingDeps, copyFileName, readCopy } from './issuing.ts';

export interface SentCopyFilesDeps extends Pick<IssuingDeps, 'blobs' | 'cipher'> {
  uow: UnitOfWork;
}

interface Released {
  copies: IssuedRecord[];
  names: Map<string, string>;
  conferenceDate: string;
}

/** The recipient's PDFs of the sending's issue, with their download names; null when the sending is unknown. */
async function releasedBy(repos: Repositories, sendingId: string): Promise<Released | null> {
  const sending = await repos.documentSendings.find(sendingId);
  if (!sending) return null;
  const conference = await repos.meeting.findConference(sending.conferenceId);
  if (!conference) return null;
  const issued = await repos.documents.listIssued(sending.conferenceId);
  const copies = issued
    .filter(
      (c) =>
        c.draftId === sending.draftId &&
        c.issueNumber === sending.issueNumber &&
        c.recipientInviteeId === sending.recipientInviteeId &&
        c.format === 'pdf',
    )
    .sort((a, b) => Number(a.largePrint) - Number(b.largePrint) || a.id.localeCompare(b.id));
  const names = new Map(copies.map((c) => [c.id, copyFileName(c, conference.scheduledDate, issued, 'pdf')]));
  return { copies, names, conferenceDate: conference.scheduledDate };
}

export class SentCopyFiles implements DocumentCopyFiles {
  private readonly deps: SentCopyFilesDeps;

  constructor(deps: SentCopyFilesDeps) {
    this.deps = deps;
  }

  async list(sendingId: string, repos: Repositories): Promise<CopyFileInfo[]> {
    const released = await releasedBy(repos, sendingId);
    return (released?.copies ?? []).map((c) => ({
      fileId: c.id,
      fileName: released!.names.get(c.id)!,
      sizeBytes: c.byteLength,
      sha256: c.sha256,
    }));
  }

  async describe(sendingId: string, repos: Repositories): Promise<DocumentAbout | null> {
    const released = await releasedBy(repos, sendingId);
    const first = released?.copies[0];
    if (!released || !first) return null;
    return {
      kind: 'document',
      title: DOCUMENT_KIND_LABELS[first.kind],
      issueNumber: first.issueNumber,
      conferenceDate: released.conferenceDate,
    };
  }

  async open(
    sendingId: string,
    fileId: string,
  ): Promise<{ stream: Readable; size: number; fileName: string; contentType: string }> {
    const found = await this.deps.uow.run(async (repos) => {
      const released = await releasedBy(repos, sendingId);
      const record = released?.copies.find((c) => c.id === fileId);
      return record ? { record, fileName: released!.names.get(record.id)! } : null;
    });
    if (!found) throw new NotFoundError('The file');
    const bytes = await readCopy(this.deps, found.record);
    return {
      stream: Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
      size: bytes.byteLength,
      fileName: found.fileName,
      contentType: found.record.mediaType,
    };
  }
}
