import type { Readable } from 'node:stream';
import type { DeliveryState } from '../../domain/requests/delivery.ts';
import type { Repositories } from '../unit-of-work.ts';

/**
 * Ports of the secure delivery service (src/app/requests/delivery-service.ts, A-6). Secrets (the link's
 * token, one-time codes, download grants) reach the repository only as SHA-256 digests.
 */

export interface DeliveryRecord {
  id: string;
  /** A copy request's delivery: the request and its disclosure copy (both null for a document's). */
  requestId: string | null;
  copyId: string | null;
  /** A document's delivery (W-4, W-6): the sending of the issued copies it releases (null for a request's). */
  documentSendingId: string | null;
  tokenHash: string;
  /** The requester's verified address, or the recipient's confirmed one (personal data: never logged, never in a URL). */
  email: string;
  /** The copy's files when the link was made: what it releases. */
  files: DeliveryFile[];
  downloadLimit: number;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

export interface DeliveryFile {
  fileId: string;
  fileName: string;
  sizeBytes: number;
}

export interface DeliveryCodeRecord {
  id: string;
  deliveryId: string;
  codeHash: string;
  issuedAt: Date;
  expiresAt: Date;
  wrongAttempts: number;
  usedAt: Date | null;
  voidedAt: Date | null;
}

export type DeliveryEventKind =
  | 'created'
  | 'viewed'
  | 'code-sent'
  | 'code-refused'
  | 'code-wrong'
  | 'code-locked'
  | 'code-expired'
  | 'code-accepted'
  /** A file began to stream (details.attempt ties it to how it ended). */
  | 'download-started'
  /** A file was written out in full: only these count against the limit. */
  | 'downloaded'
  /** A file's download stopped before the end (the connection closed): not counted. */
  | 'download-interrupted'
  | 'download-refused'
  | 'expired-hit'
  | 'revoked-hit'
  | 'used-up-hit'
  | 'revoked';

export interface DeliveryEvent {
  seq: number;
  deliveryId: string;
  kind: DeliveryEventKind;
  at: Date;
  fileId: string | null;
  actorId: string | null;
  details: Record<string, unknown>;
}

export type NewDeliveryEvent = Omit<DeliveryEvent, 'seq'>;

export interface DeliveryRepository {
  insert(d: Omit<DeliveryRecord, 'id' | 'revokedAt' | 'revokedBy' | 'revokeReason'>): Promise<DeliveryRecord>;
  /** With `lock`, the row is locked for the rest of the transaction (serialises a delivery's codes and downloads). */
  find(id: string, opts?: { lock?: boolean }): Promise<DeliveryRecord | null>;
  findByTokenHash(tokenHash: string, opts?: { lock?: boolean }): Promise<DeliveryRecord | null>;
  /** Newest first. */
  listForRequest(requestId: string): Promise<DeliveryRecord[]>;
  /** Revokes a live delivery; false when it was already revoked. */
  revoke(id: string, r: { at: Date; by: string; reason: string }): Promise<boolean>;
  appendEvent(e: NewDeliveryEvent): Promise<void>;
  /** Newest first. */
  listEvents(deliveryId: string, limit: number): Promise<DeliveryEvent[]>;
  /** Completed downloads so far, by file id (files never downloaded are absent). */
  downloadCounts(deliveryId: string): Promise<Map<string, number>>;
  /**
   * Downloads started after `since` that have neither completed nor been interrupted, by file id: a download
   * window (details.attempt) opened since then and not yet counted.
   */
  downloadsUnderWay(deliveryId: string, since: Date): Promise<Map<string, number>>;
  /**
   * A download window of the delivery (its `download-started` event with details.attempt = `attempt`): when it was
   * opened and whether it has been counted (a `downloaded` event of the same attempt). Null when there is none.
   */
  downloadWindow(deliveryId: string, attempt: string): Promise<{ openedAt: Date; counted: boolean } | null>;
  insertCode(c: Omit<DeliveryCodeRecord, 'id' | 'wrongAttempts' | 'usedAt' | 'voidedAt'>): Promise<DeliveryCodeRecord>;
  /** When each code of the delivery issued after `since` was issued. */
  codesIssuedSince(deliveryId: string, since: Date): Promise<Date[]>;
  /** The newest code, locked for the rest of the transaction. */
  latestCode(deliveryId: string): Promise<DeliveryCodeRecord | null>;
  /** Voids every code not yet used or void (a new code replaces them). */
  voidOpenCodes(deliveryId: string, at: Date): Promise<void>;
  recordWrongCode(codeId: string, wrongAttempts: number, voidedAt: Date | null): Promise<void>;
  markCodeUsed(codeId: string, at: Date): Promise<void>;
  insertGrant(g: { deliveryId: string; grantHash: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  findGrant(grantHash: string): Promise<{ deliveryId: string; expiresAt: Date } | null>;
}

/** One file of a disclosure copy, as the requester sees it: no personal data in the name. */
export interface CopyFileInfo {
  fileId: string;
  /** The download's file name (for example `conference-recording-1.mp3`). */
  fileName: string;
  sizeBytes: number;
  /** SHA-256 (hex) of the file's bytes as downloaded: its version, the download's strong ETag. */
  sha256: string;
}

/** A byte range of a file, both ends included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The files of a ready disclosure copy: implemented by the disclosure copy service
 * (src/app/requests/disclosure-copies.ts), which decrypts them as they are read.
 */
export interface CopyFiles {
  /** Every file of the copy, in order; empty when the copy is not ready. Read in the caller's transaction. */
  list(copyId: string, repos: Repositories): Promise<CopyFileInfo[]>;
  /**
   * The file's plaintext as a stream: the whole file, or only the bytes of `range` (decrypted a slice at a time).
   * NotFoundError when the copy has no such file. The delivery service audits the download window this serves, so
   * an open here (each piece of a resumed download) is not audited again.
   */
  open(
    copyId: string,
    fileId: string,
    range?: ByteRange,
  ): Promise<{ stream: Readable; size: number; fileName: string; contentType: string }>;
}

/**
 * The files of one sending of an issued document (W-4, W-6): the recipient's PDFs of that issue (the large-print
 * one where arranged), implemented over the written record's stored copies (src/app/documents/sent-copy-files.ts).
 */
export interface DocumentCopyFiles {
  /** Every file the sending releases; empty when the sending is not a recipient's. Read in the caller's transaction. */
  list(sendingId: string, repos: Repositories): Promise<CopyFileInfo[]>;
  /** What the link releases, for its page: the document, its issue and the conference's date (no names). */
  describe(sendingId: string, repos: Repositories): Promise<DocumentAbout | null>;
  /**
   * The file's bytes, decrypted and checked against the SHA-256 kept when it was issued: a copy that fails is a
   * CopyIntegrityError and nothing is released. NotFoundError when the sending releases no such file.
   */
  open(
    sendingId: string,
    fileId: string,
  ): Promise<{ stream: Readable; size: number; fileName: string; contentType: string }>;
}

/** What a document's secure link releases, as its holder sees it. */
export interface DocumentAbout {
  kind: 'document';
  /** "Decision letter" */
  title: string;
  issueNumber: number;
  conferenceDate: string;
}

/** What a link releases: a copy of a conference recording, or a recipient's copy of a document. */
export type DeliveryAbout = { kind: 'recording-copy' } | DocumentAbout;

/** What a signed download window says: one file of one delivery, at one version, until `expiresAt` (ms). */
export interface DownloadWindowClaims {
  deliveryId: string;
  fileId: string;
  /** The window's id (16 hex digits), the `attempt` of its events. */
  attempt: string;
  /** The first 64 bits (16 hex digits) of the file's SHA-256 when the window was opened: it never serves another. */
  version: string;
  /** When it ends, in ms (whole seconds). */
  expiresAt: number;
}

/** Signs and checks download windows (src/infra/crypto/download-grants.ts). */
export interface DownloadWindowSigner {
  sign(claims: DownloadWindowClaims): string;
  /**
   * The claims of a window this server signed for this delivery, unaltered; null for anything else, a window of
   * another delivery included (expiry is the caller's to check).
   */
  verify(token: string, deliveryId: string): DownloadWindowClaims | null;
}

/** Secrets for links, codes and grants: made and hashed by infrastructure (node:crypto). */
export interface DeliverySecrets {
  /** A URL-safe token of at least 128 bits (256 in practice). */
  newToken(): string;
  /** Six random digits. */
  newCode(): string;
  /** SHA-256, hex. */
  hash(value: string): string;
  /** Compares two digests in constant time. */
  equal(a: string, b: string): boolean;
}

/** What staff see of a delivery on the request's page. */
export interface DeliverySummary {
  deliveryId: string;
  copyId: string;
  state: DeliveryState;
  createdAt: Date;
  createdBy: { id: string; name: string };
  expiresAt: Date;
  downloadLimit: number;
  files: Array<{ fileId: string; fileName: string; downloads: number; left: number }>;
  revoked: { at: Date; by: { id: string; name: string }; reason: string } | null;
  /** Newest first, in plain English, never the token, a code or the address. */
  events: Array<{ kind: DeliveryEventKind; label: string; at: Date; fileName: string | null }>;
}

/** What the requester's page shows: never the address, never the request's details. */
export type DeliveryOpened =
  | {
      status: 'active';
      deliveryId: string;
      about: DeliveryAbout;
      expiresAt: Date;
      files: Array<{ fileId: string; fileName: string; sizeBytes: number; left: number }>;
    }
  | { status: 'expired' | 'revoked' | 'used-up' | 'unknown' };
