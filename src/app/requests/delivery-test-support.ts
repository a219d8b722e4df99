/**
 * Fixtures for the secure delivery tests (service, pages, browser): a request at "copy approved" over a
 * real conference, and a small real CopyFiles over the blob store (the bytes are stored and read back,
 * nothing is faked). Not part of the service.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TestContext } from '../../../test/support/services.ts';
import { seedConference } from '../../../test/support/conferences.ts';
import { addChild } from '../../../test/support/people.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { deliverySettings } from '../../domain/requests/delivery.ts';
import { happySteps, received, run } from '../../domain/requests/test-support.ts';
import type { CopyRequest } from '../../domain/requests/index.ts';
import type { ByteRange, CopyFileInfo, CopyFiles, DeliverySecrets } from './delivery-ports.ts';
import type { Repositories } from '../unit-of-work.ts';
import { DeliveryService, nodeDeliverySecrets } from './delivery-service.ts';
import type { TestMailbox } from '../../infra/mail/test-support.ts';
import { loadCodeKey } from '../../infra/crypto/code-key.ts';
import { hmacDownloadWindows } from '../../infra/crypto/download-grants.ts';
import { disclosureCopies } from '../../infra/db/disclosure-schema.ts';

export const REQUESTER_EMAIL = 'dad@example.org';

/** The files of a copy, stored in the test's blob store under random keys. */
export class BlobCopyFiles implements CopyFiles {
  private readonly copies = new Map<string, Array<CopyFileInfo & { key: string }>>();
  /** Each open: the file and the range asked for (null: the whole file). */
  readonly ranges: Array<{ fileId: string; range: ByteRange | null }> = [];
  readonly opened: string[] = [];
  private readonly ctx: TestContext;
  constructor(ctx: TestContext) {
    this.ctx = ctx;
  }

  async add(copyId: string, fileName: string, bytes: Uint8Array): Promise<string> {
    const stored = await this.ctx.services.blobs.put(bytes);
    const list = this.copies.get(copyId) ?? [];
    const fileId = crypto.randomUUID();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    list.push({ fileId, fileName, sizeBytes: stored.size, sha256, key: stored.key });
    this.copies.set(copyId, list);
    return fileId;
  }

  async list(copyId: string, _repos?: Repositories): Promise<CopyFileInfo[]> {
    return (this.copies.get(copyId) ?? []).map(({ fileId, fileName, sizeBytes, sha256 }) => ({
      fileId,
      fileName,
      sizeBytes,
      sha256,
    }));
  }

  /** Replaces a file's bytes (a new version under the same id), as a copy made again would. */
  async replace(copyId: string, fileId: string, bytes: Uint8Array): Promise<void> {
    const f = (this.copies.get(copyId) ?? []).find((x) => x.fileId === fileId);
    if (!f) throw new Error('No such file');
    const stored = await this.ctx.services.blobs.put(bytes);
    Object.assign(f, {
      key: stored.key,
      sizeBytes: stored.size,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }

  /** Removes a file, as a copy taken back would. */
  remove(copyId: string, fileId: string): void {
    this.copies.set(
      copyId,
      (this.copies.get(copyId) ?? []).filter((x) => x.fileId !== fileId),
    );
  }

  async open(
    copyId: string,
    fileId: string,
    range?: ByteRange,
  ): Promise<{ stream: Readable; size: number; fileName: string; contentType: string }> {
    const f = (this.copies.get(copyId) ?? []).find((x) => x.fileId === fileId);
    if (!f) throw new Error('No such file');
    this.opened.push(fileId);
    this.ranges.push({ fileId, range: range ?? null });
    return {
      stream: range
        ? await this.ctx.services.blobs.getRange(f.key, range.start, range.end)
        : await this.ctx.services.blobs.get(f.key),
      size: f.sizeBytes,
      fileName: f.fileName,
      contentType: f.fileName.endsWith('.mp3') ? 'audio/mpeg' : 'text/plain; charset=utf-8',
    };
  }
}

export interface DeliveryFixture {
  service: DeliveryService;
  files: BlobCopyFiles;
  support: Actor;
  chair: Actor;
  /** A social worker with no child allocated: may see no request. */
  outsider: Actor;
  requestId: string;
  copyId: string;
  fileIds: string[];
  /** The bytes of each file, by id. */
  bytes: Map<string, Buffer>;
  /** The server's key for one-time codes (DELIVERY_CODE_KEY_FILE). */
  codeKey: Buffer;
}

async function user(ctx: TestContext, email: string, name: string, roles: Actor['roles']): Promise<Actor> {
  const u = await ctx.services.accounts.createUser(
    { email, name, roles: [...roles], password: 'correct horse battery staple' },
    { actor: { id: null, label: 'test' } },
  );
  return { id: u.id, name, roles };
}

let n = 0;

/** A request for a copy at "copy approved", whose copy has an MP3 and a statement, and a DeliveryService over them. */
export async function deliveryFixture(
  ctx: TestContext,
  settings: Parameters<typeof deliverySettings>[0] = {},
  secrets: DeliverySecrets = nodeDeliverySecrets,
): Promise<DeliveryFixture> {
  n += 1;
  const support = await user(ctx, `support${n}@council.example`, 'Bea Support', ['business_support']);
  const chair = await user(ctx, `chair${n}@council.example`, 'Cara Chair', ['chair']);
  const outsider = await user(ctx, `sw${n}@council.example`, 'Sam Social', ['social_worker']);
  const childId = await addChild(ctx, support);
  const { conferenceId } = await seedConference(ctx, { childIds: [childId] });
  const copyId = crypto.randomUUID();
  const approved = run(received(), happySteps().slice(0, 7)).at(-1)!.request;
  const request: CopyRequest = {
    ...approved,
    conferenceId,
    chairId: null,
    requester: {
      type: 'court',
      contactName: 'Jo Clerk',
      courtName: 'Northshire Family Court',
      courtReference: 'NF26C00042',
    },
    copy: { ...approved.copy!, copyId },
  };
  if (request.state !== 'copy-approved') throw new Error(`fixture request is at ${request.state}`);
  const record = await ctx.services.uow.run((repos) =>
    repos.copyRequests.insert({ request, dueOn: request.receivedOn, warnings: [], at: ctx.clock.now() }),
  );
  // The approved copy's row (deliveries.copy_id refers to it); its files are the blob store's below.
  await ctx.services.database.db.insert(disclosureCopies).values({
    id: copyId,
    requestId: record.id,
    conferenceId,
    state: 'ready',
    percent: 100,
    fill: 'tone',
    plan: { recordingIds: [], withheld: [], statements: {} },
    createdBy: support.id,
    createdAt: ctx.clock.now(),
    finishedAt: ctx.clock.now(),
    updatedAt: ctx.clock.now(),
  });
  const files = new BlobCopyFiles(ctx);
  const bytes = new Map<string, Buffer>();
  const mp3 = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
  const txt = Buffer.from('Explanatory statement (R-2): recorded in Room 2 from 10:00 to 11:40.\n');
  const a = await files.add(copyId, 'copy-recording-1.mp3', mp3);
  const b = await files.add(copyId, 'copy-recording-1-statement.txt', txt);
  bytes.set(a, mp3);
  bytes.set(b, txt);
  // The key the composed services made for this test's DATA_DIR (DELIVERY_CODE_KEY_FILE).
  const { key: codeKey } = await loadCodeKey(ctx.config.deliveryCodeKeyFile, { create: true });
  const service = new DeliveryService({
    uow: ctx.services.uow,
    clock: ctx.clock,
    mail: ctx.services.mail,
    files,
    secrets,
    windows: hmacDownloadWindows(codeKey),
    codeKey,
    settings: deliverySettings(settings),
    publicBaseUrl: ctx.config.publicBaseUrl,
    replyTo: ctx.config.requestsReplyTo,
  });
  return { service, files, support, chair, outsider, requestId: record.id, copyId, fileIds: [a, b], bytes, codeKey };
}

/**
 * The newest email to `to` using `template`, read through the mail service as an administrator would:
 * a download link or code in it is masked.
 */
export async function latestEmail(
  ctx: TestContext,
  template: string,
  to = REQUESTER_EMAIL,
): Promise<{ id: string; subject: string; body: string }> {
  const { messages } = await ctx.services.mail.listMessages({});
  for (const m of messages) {
    if (m.templateKey !== template) continue;
    const full = await ctx.services.mail.viewMessage(m.id, { actor: { id: null, label: 'test' } });
    if (full.to === to) return { id: m.id, subject: full.subject, body: full.body };
  }
  throw new Error(`No ${template} email to ${to}`);
}

/** The newest email to `to` using `template` as the recipient got it (the services send to `mailbox`). */
export async function receivedEmail(
  ctx: TestContext,
  mailbox: TestMailbox,
  template: string,
  to = REQUESTER_EMAIL,
): Promise<{ subject: string; body: string }> {
  const { id } = await latestEmail(ctx, template, to);
  const sent = mailbox.sent(id);
  if (!sent) throw new Error(`The ${template} email to ${to} was not delivered`);
  return { subject: sent.subject, body: sent.text };
}

/** The download link in the newest copy-ready email the requester received. */
export async function emailedLink(
  ctx: TestContext,
  mailbox: TestMailbox,
  to = REQUESTER_EMAIL,
): Promise<{ url: string; token: string }> {
  const { body } = await receivedEmail(ctx, mailbox, 'copy-ready', to);
  const m = /(https?:\/\/\S+\/copy\/([A-Za-z0-9_-]+))/.exec(body);
  if (!m) throw new Error('No link in the copy-ready email');
  return { url: m[1]!, token: m[2]! };
}

/** The code in the newest one-time-code email the requester received. */
export async function emailedCode(ctx: TestContext, mailbox: TestMailbox, to = REQUESTER_EMAIL): Promise<string> {
  const { body } = await receivedEmail(ctx, mailbox, 'one-time-code', to);
  const m = /\b(\d{6})\b/.exec(body);
  if (!m) throw new Error('No code in the one-time-code email');
  return m[1]!;
}

/** The real secrets, each one also noted, so a test can look for it where it must not be. */
export function notingSecrets(): DeliverySecrets & { tokens: string[]; codes: string[] } {
  const tokens: string[] = [];
  const codes: string[] = [];
  return {
    tokens,
    codes,
    newToken: () => {
      const t = nodeDeliverySecrets.newToken();
      tokens.push(t);
      return t;
    },
    newCode: () => {
      const c = nodeDeliverySecrets.newCode();
      codes.push(c);
      return c;
    },
    hash: (v) => nodeDeliverySecrets.hash(v),
    equal: (a, b) => nodeDeliverySecrets.equal(a, b),
  };
}

export function streamText(s: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
}

/**
 * A disclosure copy row at "ready", made for the request, with one file row per recording (as the copy
 * service leaves it once every file is made and checked): what a step reads to accept the copy.
 * The file rows point at no stored audio; a test that downloads adds its own files under the returned id.
 */
export async function insertReadyCopy(
  ctx: TestContext,
  o: { requestId: string; conferenceId: string; recordingIds: string[]; createdBy: string },
): Promise<string> {
  return ctx.services.uow.run(async (repos) => {
    const at = ctx.clock.now();
    const copy = await repos.disclosureCopies.insert({
      requestId: o.requestId,
      conferenceId: o.conferenceId,
      state: 'queued',
      fill: 'tone',
      plan: { recordingIds: o.recordingIds, withheld: [], statements: {} },
      createdBy: o.createdBy,
      createdAt: at,
    });
    await repos.disclosureCopies.update(copy.id, { state: 'ready', percent: 100, finishedAt: at, updatedAt: at });
    let ordinal = 0;
    for (const recordingId of o.recordingIds) {
      ordinal += 1;
      await repos.disclosureCopies.insertFile({
        copyId: copy.id,
        recordingId,
        ordinal,
        statementText: 'Explanatory statement (R-2).\n',
        originalSha256: '0'.repeat(64),
        sha256: '0'.repeat(64),
        sizeBytes: 4096,
        durationMs: 120_000,
        noticeMs: 0,
        blobKey: `test-copy-${copy.id}-${ordinal}`,
        blobSha256: '0'.repeat(64),
        blobSize: 4096,
        withheldLog: [],
        createdAt: at,
      });
    }
    return copy.id;
  });
}
