import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { AccountsService } from './app/accounts/accounts-service.ts';
import { CouncilSignInService } from './app/accounts/council-sign-in.ts';
import { SecondFactorService } from './app/second-factor/second-factor-service.ts';
import {
  aesGcmSealer,
  loadOrCreateSealingKey,
  otplibTotp,
  simpleWebAuthnPasskeys,
} from './infra/crypto/second-factor.ts';
import type { Clock, UnitOfWork } from './app/unit-of-work.ts';
import { type BankHolidayCalendar, parseIsoDate } from './domain/calendar/index.ts';
import { AuditTamperError } from './infra/audit/audit-trail.ts';
import { createAuditTrail } from './infra/audit/create-audit-trail.ts';
import { buildBankHolidayCalendar, loadTimescaleSettings } from './infra/calendar/holiday-file.ts';
import type { Config } from './infra/config.ts';
import { scryptPasswordHasher } from './infra/crypto/password.ts';
import { hmacPlaybackGrants } from './infra/crypto/playback-grants.ts';
import { recordingsRepository } from './infra/db/recordings/recordings-repository.ts';
import { hashToken, newSecretToken } from './infra/crypto/tokens.ts';
import { type Database, openDatabase } from './infra/db/client.ts';
import { createUnitOfWork } from './infra/db/unit-of-work.ts';
import { JobQueue, type QueueWorker, type ScheduledJob } from './infra/queue/queue.ts';
import { createBlobStore } from './infra/blobs/create-blob-store.ts';
import { FsBlobStore } from './infra/blobs/fs-blob-store.ts';
import { ConveningService } from './app/conferences/convening-service.ts';
import { DashboardService } from './app/conferences/dashboard-service.ts';
import { MeetingService } from './app/conferences/meeting-service.ts';
import { RearrangementService } from './app/conferences/rearrangement-service.ts';
import { ConferenceViewService } from './app/conferences/conference-view.ts';
import { PeopleService } from './app/people/people-service.ts';
import { ChildRecordService } from './app/people/child-record.ts';
import { sweepOrphanedBlobs } from './app/blobs/orphan-sweep.ts';
import { KeyCustodyService } from './app/blobs/key-custody.ts';
import { ageHeaders } from './infra/blobs/age-headers.ts';
import type { AudioTools, IngestQueue } from './app/recordings/ports.ts';
import { RecordingService } from './app/recordings/recording-service.ts';
import { RecordingsAttentionCount } from './app/recordings-attention/count.ts';
import { createAudioToolkit } from './infra/audio/index.ts';
import { loadOrCreateIdentityFile, parseRecipient } from './infra/crypto/age/index.ts';
import { ageRecordingCipher, ffmpegAudioTools } from './infra/recordings/adapters.ts';
import { createStaging } from './infra/recordings/create-staging.ts';
import { workerOriginalSealer } from './infra/recordings/sealed-original.ts';
import { recordingLocks } from './infra/queue/ingest-lock.ts';
import { abandonedUploadsJob } from './infra/recordings/abandoned-uploads.ts';
import { recordingUploads } from './infra/recordings/upload-tus.ts';
import { diskSpace } from './infra/recordings/disk-space.ts';
import { auditLogFor } from './infra/audit/audit-repository.ts';
import type { MailService } from './app/mail/mail-service.ts';
import type { DeliveryQueue } from './app/mail/ports.ts';
import { MAIL_DELIVER_JOB, createMailService, mailDeliveryWorker, mailSweepJob } from './infra/mail/index.ts';
import {
  DEFAULT_MAX_ATTEMPTS as DISCLOSURE_MAX_ATTEMPTS,
  DisclosureCopyService,
  copyFilesWithin,
} from './app/requests/disclosure-copies.ts';
import type { DisclosureQueue } from './app/requests/disclosure-ports.ts';
import { RequestService } from './app/requests/request-service.ts';
import { DeliveryService, nodeDeliverySecrets } from './app/requests/delivery-service.ts';
import { loadCodeKey } from './infra/crypto/code-key.ts';
import { LetterWordingService } from './app/documents/letter-wording-service.ts';
import { CouncilSettingsService } from './app/settings/council-settings-service.ts';
import { deliverySettings } from './domain/requests/delivery.ts';
import { DocumentService } from './app/documents/document-service.ts';
import { DocumentSendingService } from './app/documents/sending.ts';
import { SentCopyFiles } from './app/documents/sent-copy-files.ts';
import { hmacDownloadWindows } from './infra/crypto/download-grants.ts';
import { AmendmentService } from './app/documents/amendments.ts';
import { ComplaintService } from './app/complaints/complaint-service.ts';
import { RecordingPermissionService } from './app/recording-permission/service.ts';
import { PlanEndingService } from './app/plan-endings/service.ts';
import { CoreGroupService } from './app/core-groups/service.ts';
import { CORE_GROUP_REMINDER_JOB, CoreGroupReminderService } from './app/core-groups/reminders.ts';
import { ParticipationService } from './app/participation/service.ts';
import { ConferenceRequestsService } from './app/conference-requests/service.ts';
import { conferenceRequestAnswers } from './app/conference-requests/answer.ts';
import { ChairingService } from './app/conferences/chairing/service.ts';
import { RequestAdviceService } from './app/requests/advice.ts';
import { UndertakingLinkService } from './app/recording-permission/undertaking-link.ts';
import { RecordingConsentService } from './app/recording-consent/service.ts';
import { COVERT_REMINDER_JOB, RecordingIncidentService } from './app/recording-incidents/recording-incident-service.ts';
import { htmlDocumentRenderer } from './app/documents/html.ts';
import { TemplateLetterWording } from './app/documents/letter-wording.ts';
import { lazyCertificatePdfRenderer, lazyPdfDocumentRenderer } from './infra/documents/lazy-pdf.ts';
import { DISPOSAL_JOB, RetentionService } from './app/retention/retention-service.ts';
import { createRetentionUnitOfWork } from './infra/db/retention/unit-of-work.ts';
import { createReadiness } from './infra/readiness.ts';

export const systemClock: Clock = { now: () => new Date() };

/** How authenticator apps and passkey prompts name the service. */
export const SECOND_FACTOR_ISSUER = 'Child protection conference records';

export const RECORDING_INGEST_JOB = 'recording-ingest';
/** the job after ingest that makes a stored recording playable (full decode, playback copy, waveform). */
export const RECORDING_PLAYABLE_JOB = 'recording-playable';
export const PLAYBACK_REPAIR_JOB = 'recording-playback-repair';
export const DISCLOSURE_COPY_JOB = 'disclosure-copy';

/** The lock a recording's playable job holds, apart from its ingest's (the ingest queues the job holding its own). */
const playableLockOf = (recordingId: string): string => `playable:${recordingId}`;

/**
 * The one place that builds every dependency. Tests call it with an in-memory database and
 * their own clock; the server and the CLI call it with the validated configuration.
 */
export async function buildServices(
  config: Config,
  logger: Logger,
  overrides: {
    database?: Database;
    clock?: Clock;
    ingestQueue?: (services: {
      recordings: RecordingService;
    }) => Pick<IngestQueue, 'enqueueIngest'> & Partial<Pick<IngestQueue, 'enqueuePlayable'>>;
    /** How a damaged playback copy's repair is queued (default: the pg-boss job). */
    repairQueue?: (services: { recordings: RecordingService }) => Pick<IngestQueue, 'enqueuePlaybackRepair'>;
    /** The recordings' audio tools (default: ffmpeg and ffprobe); tests pass their own instance to watch or stop one step. */
    audio?: AudioTools;
    mailQueue?: (services: { mail: MailService }) => DeliveryQueue;
    disclosureQueue?: (services: { disclosureCopies: DisclosureCopyService }) => DisclosureQueue;
  } = {},
) {
  const clock = overrides.clock ?? systemClock;
  const database =
    overrides.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      onIdleError: (err) => logger.warn({ err }, 'idle database connection lost'),
    }));
  await database.migrate();
  const now = () => clock.now();
  // The trail checkpoints itself every AUDIT_CHECKPOINT_ENTRIES entries, told of each by the unit of work.
  const audited = await createAuditTrail(config, database.db, now, logger);
  const auditTrail = audited.trail;
  const onAuditAppended = (seq: number) => auditTrail.noteAppended(seq);
  const uow: UnitOfWork = createUnitOfWork(database.db, now, onAuditAppended);
  const calendar: BankHolidayCalendar = await buildBankHolidayCalendar(config.bankHolidaysFile);
  const timescales = await loadTimescaleSettings(config.timescalesFile);
  const people = new PeopleService({ uow, clock });
  // Viewing a child's record: its page and API read the record and what hangs off it in one access check and audit.
  const childRecords = new ChildRecordService({ uow, clock, calendar, timescales });
  const conferenceDeps = { uow, clock, calendar, timescales, people };
  // Agencies' reports and recordings, named by random keys: files under DATA_DIR/blobs or an S3 bucket (BLOB_STORE).
  const blobs = await createBlobStore(config.blobStore, logger);
  const convening = new ConveningService({
    ...conferenceDeps,
    blobs,
    councilName: config.councilName,
    // 002 §1.1: a conference convened from an agreed request answers it; the email goes through the outbox below.
    requestAnswers: conferenceRequestAnswers(() => mail),
  });
  const meeting = new MeetingService(conferenceDeps);
  // Core groups (002 §3.7, §3.10, §3.11): meetings under a child's plan, when the next is due, the lead social worker.
  const coreGroups = new CoreGroupService({ uow, clock, calendar, timescales });
  const dashboards = new DashboardService({
    ...conferenceDeps,
    writtenRecordFrom: config.writtenRecordFrom ? parseIsoDate(config.writtenRecordFrom) : null,
  });
  // how many recordings need someone to act, for the link on the dashboards of chairs and business support.
  const recordingsAttention = new RecordingsAttentionCount({ uow, clock });
  const queue = new JobQueue(database, logger, { superviseSeconds: config.nodes.queueSuperviseSeconds });

  // Email: stored in the outbox in the transaction of the step that causes it, delivered by a pg-boss job
  // (MAIL_TRANSPORT: kept for administrators to read, SMTP or GOV.UK Notify), swept every minute so none is lost.
  let mailQueue: DeliveryQueue = {
    enqueueDelivery: (messageId) => queue.send(MAIL_DELIVER_JOB, { messageId }, { singletonKey: messageId }),
  };
  const mail: MailService = createMailService({
    config: config.mail,
    uow,
    clock,
    logger,
    settings: { councilName: config.councilName },
    queue: { enqueueDelivery: (id) => mailQueue.enqueueDelivery(id) },
  });
  await mail.seedTemplates();
  if (overrides.mailQueue) mailQueue = overrides.mailQueue({ mail });
  // The wording of letters (W-1, W-6, W-7), kept beside the emails' wording; administrators change it.
  const letterWording = new LetterWordingService({
    uow,
    clock,
    settings: { councilName: config.councilName, councilContact: config.councilContact },
  });
  // The council's local policy settings (003), chosen by an administrator; every change audited.
  const councilSettings = new CouncilSettingsService({ uow, clock });
  // A convened conference rearranged or cancelled (everyone invited told by email or post), or recorded after it was held.
  const rearrangement = new RearrangementService({
    ...conferenceDeps,
    convening,
    mail,
    councilName: config.councilName,
  });
  // A conference's page: everything it shows after one access check, audited once.
  const conferenceView = new ConferenceViewService({ uow, convening, rearrangement });
  const accounts = new AccountsService({
    uow,
    hasher: scryptPasswordHasher,
    secrets: { newToken: newSecretToken, hash: hashToken },
    clock,
    settings: {
      sessionIdleMs: config.sessionIdleMs,
      sessionAbsoluteMs: config.sessionAbsoluteMs,
      signInMaxAttempts: config.signInMaxAttempts,
      signInWindowMs: 15 * 60_000,
      setupLinkTtlMs: 24 * 3_600_000,
      publicBaseUrl: config.publicBaseUrl,
      keptFormTtlMs: 60 * 60_000,
      passwordSignInForAdministratorsOnly: config.oidc?.only ?? false,
    },
    // Reset links are emailed through the outbox (and never kept there when nothing would be sent).
    mail,
    // Client addresses are personal data: lock-outs count them by a keyed hash only.
    addressKey: (address) =>
      createHmac('sha256', config.sessionSecret).update(`sign-in-address:${address}`).digest('hex'),
  });
  // The second factor of password sign-in: authenticator apps (secrets sealed with a key file beside the other
  // keys, made on first use), recovery codes and passkeys for this service's address.
  const secondFactor = new SecondFactorService({
    uow,
    clock,
    secrets: { newToken: newSecretToken, hash: hashToken },
    totp: otplibTotp,
    sealer: aesGcmSealer(() =>
      loadOrCreateSealingKey(config.secondFactorKeyFile, { create: config.env !== 'production' }),
    ),
    passkeys: simpleWebAuthnPasskeys({ publicBaseUrl: config.publicBaseUrl, rpName: SECOND_FACTOR_ISSUER }),
    addressKey: (address) =>
      createHmac('sha256', config.sessionSecret).update(`sign-in-address:${address}`).digest('hex'),
    settings: {
      issuer: SECOND_FACTOR_ISSUER,
      signInMaxAttempts: config.signInMaxAttempts,
      signInWindowMs: 15 * 60_000,
    },
  });

  // Signing in with the council's identity provider (OIDC_*): off unless configured. Its sessions are the password
  // sign-in's, started once the provider has vouched for the person (the provider gives any second factor). Its
  // OpenID Connect client library is loaded only when it is configured.
  const councilSignIn = config.oidc
    ? {
        service: new CouncilSignInService({
          uow,
          clock,
          settings: { roleGroups: config.oidc.roleGroups, requireMfa: config.oidc.requireMfa, flowTtlMs: 10 * 60_000 },
          secrets: { newToken: newSecretToken, hash: hashToken },
          startSession: (userId) => accounts.startSession(userId, { secondFactorDue: false }),
        }),
        provider: (await import('./infra/oidc/client.ts')).openIdConnectProvider(config.oidc),
        config: config.oidc,
      }
    : undefined;

  // The audio record: age-encrypted originals in the blob store, plaintext only while bytes arrive.
  const recordingKeys = await loadOrCreateIdentityFile(config.recordingIdentityFile);
  if (recordingKeys.created)
    logger.warn(
      { file: config.recordingIdentityFile },
      'created a new key for recordings: back it up offline, recordings cannot be read without it',
    );
  if (config.recordingRecoveryRecipient) parseRecipient(config.recordingRecoveryRecipient);
  // Where recordings wait before ingest: this node's disk, or (several nodes) the shared staging in the bucket.
  const { staging, sharedTus } = await createStaging({
    dataDir: config.dataDir,
    blobStore: config.blobStore,
    staging: config.nodes.staging,
  });
  await staging.prepare();
  // One ingest of a recording at a time across every node (a database lock, released if its node dies).
  const ingestLocks = recordingLocks(database);
  let ingestQueue: Pick<IngestQueue, 'enqueueIngest' | 'enqueuePlayable'> = {
    enqueueIngest: (recordingId) => queue.send(RECORDING_INGEST_JOB, { recordingId }, { singletonKey: recordingId }),
    enqueuePlayable: (recordingId) =>
      queue.send(RECORDING_PLAYABLE_JOB, { recordingId }, { singletonKey: recordingId }),
  };
  let repairQueue: Pick<IngestQueue, 'enqueuePlaybackRepair'> = {
    enqueuePlaybackRepair: (recordingId) =>
      queue.send(PLAYBACK_REPAIR_JOB, { recordingId }, { singletonKey: recordingId }),
  };
  // A-6, P-1: one-time codes are stored as HMAC-SHA-256 digests keyed with a secret kept outside the database (made 0600
  // on first start outside production; in production it must already exist, outside DATA_DIR).
  const codeKey = await loadCodeKey(config.deliveryCodeKeyFile, { create: config.env !== 'production' });
  if (codeKey.created) logger.warn({ file: config.deliveryCodeKeyFile }, 'created a new key for one-time codes');
  // One file key per file, for the council's recipient and the optional offline recovery recipient.
  const recordingRecipients = [
    ...recordingKeys.recipients,
    ...(config.recordingRecoveryRecipient ? [config.recordingRecoveryRecipient] : []),
  ];
  const recordingCipher = ageRecordingCipher({ identities: recordingKeys.identities, recipients: recordingRecipients });
  // The written record (W-1 … W-4): drafted from the meeting, approved by the chair, issued as fixed copies per
  // recipient (a tagged PDF and an HTML page each), encrypted at rest with the recordings' key.
  const documents = new DocumentService({
    uow,
    clock,
    calendar,
    timescales,
    blobs,
    cipher: recordingCipher,
    pdf: lazyPdfDocumentRenderer,
    html: htmlDocumentRenderer,
    wording: new TemplateLetterWording(),
    council: { name: config.councilName, contact: config.councilContact },
  });
  // Complaints about a conference (W-7): stages, outcome, and the investigator's access while one is open.
  const complaints = new ComplaintService({ uow, clock });
  // Requests to record a meeting (P-1, P-2, P-3, P-6, T-11): the request, the decision and its confirmation.
  const recordingPermission = new RecordingPermissionService({
    uow,
    clock,
    blobs,
    mail,
    noticeHours: timescales.recordingPermissionNoticeHours,
    councilName: config.councilName,
    publicBaseUrl: config.publicBaseUrl,
    secrets: nodeDeliverySecrets,
  });
  // Professionals asking for a conference (002 §1.1): recorded, decided by a team manager, the requester told.
  const conferenceRequests = new ConferenceRequestsService({ uow, clock, mail });
  // The chair (002 §4.1): independence of the case, meeting the family beforehand, staff's line managers.
  const chairing = new ChairingService({ uow, clock, notices: rearrangement });
  // advice from the information management team on a complex request for a copy.
  const requestAdvice = new RequestAdviceService({ uow, clock });
  // P-1: the requester confirms the undertaking through a secure link with a one-time code, without an account.
  const undertakingLinks = new UndertakingLinkService({
    uow,
    clock,
    mail,
    secrets: nodeDeliverySecrets,
    codeKey: codeKey.key,
  });
  // Plans ending, stepping down and moving away (002 §3.8, §3.9): agencies told, transfer out (T-4).
  const planEndings = new PlanEndingService({
    uow,
    clock,
    mail,
    calendar,
    timescales,
    councilName: config.councilName,
  });
  // When recording goes wrong at a conference: against the parents' wishes (P-8), covert recording found (P-9).
  // 002 §3.7: the lead social worker (or team manager) reminded when a core group is due and none is booked.
  const coreGroupReminders = new CoreGroupReminderService({
    uow,
    clock,
    calendar,
    timescales,
    mail,
    publicBaseUrl: config.publicBaseUrl,
  });
  const recordingIncidents = new RecordingIncidentService({
    uow,
    clock,
    mail,
    publicBaseUrl: config.publicBaseUrl,
    reminders: { workingDays: config.covertReminderWorkingDays, calendar },
  });
  // The family's recording on the day (P-4, P-5, P-6, P-7): everyone's consent, and copies handed over, encrypted.
  const recordingConsent = new RecordingConsentService({ uow, clock, blobs, cipher: recordingCipher });
  // Participation (002 §3.2): children's attendance, supporters barred, advocates, parents' reports and help.
  const participation = new ParticipationService({ uow, clock, blobs });
  const amendments = new AmendmentService({
    uow,
    clock,
    calendar,
    timescales,
    council: { name: config.councilName, contact: config.councilContact },
  });
  const recordings: RecordingService = new RecordingService({
    uow,
    clock,
    blobs,
    cipher: recordingCipher,
    // on the file system store, ingest's one pass (hash, encrypt, write, fsync) runs on a worker thread of its
    // own; an S3 bucket is written through its client on this thread, as before.
    ...(blobs instanceof FsBlobStore ? { sealer: workerOriginalSealer(blobs, recordingRecipients) } : {}),
    audio: overrides.audio ?? ffmpegAudioTools(createAudioToolkit()),
    staging,
    queue: {
      enqueueIngest: (id) => ingestQueue.enqueueIngest(id),
      enqueuePlayable: (id) => ingestQueue.enqueuePlayable(id),
      enqueuePlaybackRepair: (id) => repairQueue.enqueuePlaybackRepair(id),
    },
    logger,
    settings: { maxBytes: config.recordingMaxBytes, fixityCycleDays: config.fixityCycleDays },
    grants: hmacPlaybackGrants(config.sessionSecret),
    playbackLookup: recordingsRepository(database.db).playbackLookup,
  });
  if (overrides.ingestQueue) {
    const given = overrides.ingestQueue({ recordings });
    // A queue given without the second job runs it as soon as it is queued, as its ingest is run.
    ingestQueue = {
      enqueueIngest: (id) => given.enqueueIngest(id),
      enqueuePlayable: given.enqueuePlayable
        ? (id) => given.enqueuePlayable!(id)
        : async (id) => void (await recordings.makePlayable(id)),
    };
  }
  if (overrides.repairQueue) repairQueue = overrides.repairQueue({ recordings });
  // Disclosure copies: made by a pg-boss job from the decrypted original, encrypted like recordings.
  let disclosureQueue: DisclosureQueue = {
    enqueueCopy: (copyId) => queue.send(DISCLOSURE_COPY_JOB, { copyId }, { singletonKey: copyId }),
  };
  const disclosureCopies: DisclosureCopyService = new DisclosureCopyService({
    uow,
    clock,
    blobs,
    cipher: recordingCipher,
    audio: createAudioToolkit(),
    scratch: staging,
    queue: { enqueueCopy: (id) => disclosureQueue.enqueueCopy(id) },
    logger,
  });
  if (overrides.disclosureQueue) disclosureQueue = overrides.disclosureQueue({ disclosureCopies });

  // the copy reaches the requester through a download page with a one-time code, not by email.
  const deliveries = new DeliveryService({
    uow,
    clock,
    mail,
    documentFiles: new SentCopyFiles({ uow, blobs, cipher: recordingCipher }),
    files: {
      list: async (copyId, repos) =>
        (await copyFilesWithin(repos, copyId)).map((f) => ({
          fileId: f.fileId,
          fileName: f.fileName,
          sizeBytes: f.sizeBytes,
          sha256: f.sha256,
        })),
      // The delivery service audits each download window once (and each refusal); the pieces it serves are not.
      open: async (copyId, fileId, range) => {
        const f = await disclosureCopies.openFile(copyId, fileId, {
          purpose: 'downloaded by the requester (A-6)',
          ctx: { actor: { id: null, label: 'requester (download link)' } },
          audited: true,
          ...(range ? { range } : {}),
        });
        return { stream: f.stream, size: f.sizeBytes, fileName: f.fileName, contentType: f.mediaType };
      },
    },
    secrets: nodeDeliverySecrets,
    windows: hmacDownloadWindows(codeKey.key),
    codeKey: codeKey.key,
    settings: deliverySettings(config.delivery),
    publicBaseUrl: config.publicBaseUrl,
    replyTo: config.requestsReplyTo,
  });
  // Sending the issued copies (W-4, W-6): by post, an email link written to the outbox with the step, or a secure
  // download link (the delivery above, releasing the recipient's own PDFs).
  const documentSending = new DocumentSendingService({
    uow,
    clock,
    mail,
    publicBaseUrl: config.publicBaseUrl,
    deliveries,
  });
  // Requests for copies of recordings (A-1 … A-10): a step reads whether a copy or a delivery is ready in
  // its own transaction; sending the copy makes the delivery in the same one.
  const requests = new RequestService({
    uow,
    clock,
    calendar,
    timescales,
    mail,
    people,
    deliveries,
    copies: disclosureCopies,
    settings: { publicBaseUrl: config.publicBaseUrl, replyTo: config.requestsReplyTo },
  });
  // Retention and disposal: the council's schedules, legal holds, destruction proposed by one person and
  // approved by a second, done by a pg-boss job that is safe to run again after a crash.
  const retention = new RetentionService({
    uow: createRetentionUnitOfWork(database.db, now),
    clock,
    blobs,
    queue: { enqueueDisposal: (id) => queue.send(DISPOSAL_JOB, { proposalId: id }, { singletonKey: id }) },
    pdf: lazyCertificatePdfRenderer,
  });
  const workers: QueueWorker[] = [
    {
      name: DISPOSAL_JOB,
      // Deleting files and rows: minutes at most, even for a long list.
      expireInSeconds: 60 * 60,
      retryLimit: 5,
      handle: async (data) => {
        if (typeof data['proposalId'] !== 'string') throw new Error('A disposal job without a proposal id');
        await retention.runDisposal(data['proposalId']);
      },
    },
    {
      name: RECORDING_INGEST_JOB,
      // A two-hour recording is checked, hashed, encrypted and flushed in one pass: seconds.
      expireInSeconds: 60 * 60,
      // A node that dies mid-ingest stops its heartbeat: the job is retried on another node within about this.
      heartbeatSeconds: config.nodes.ingestHeartbeatSeconds,
      retryDelaySeconds: config.nodes.ingestRetryDelaySeconds,
      retryLimit: 5,
      handle: async (data, job) => {
        const recordingId = data['recordingId'];
        if (typeof recordingId !== 'string') throw new Error('An ingest job without a recording id');
        const run = await ingestLocks.withLock(recordingId, async () => {
          // A retry may follow a run that died on another node: its uncommitted files go first.
          if ((job?.retryCount ?? 0) > 0) await recordings.recoverInterruptedIngests(new Set([recordingId]));
          // Shared staging: the staged bytes copied to this node (owner-only) for the steps that read a file.
          await staging.materialise(recordingId);
          await recordings.ingest(recordingId);
        });
        // Another run (on this node or another) holds the recording: it stores it, or its own job retries.
        if (!run.ran) logger.info({ recordingId }, 'ingest already running elsewhere; this job leaves it to that run');
      },
    },
    {
      name: RECORDING_PLAYABLE_JOB,
      // a stored recording decoded in full, its playback copy and waveform made: a few minutes for two hours.
      expireInSeconds: 60 * 60,
      retryLimit: 5,
      handle: async (data) => {
        const recordingId = data['recordingId'];
        if (typeof recordingId !== 'string') throw new Error('A playable job without a recording id');
        // One run per recording across every node, as for ingest (its own lock: ingest queues this job holding its).
        const run = await ingestLocks.withLock(playableLockOf(recordingId), () => recordings.makePlayable(recordingId));
        if (!run.ran) logger.info({ recordingId }, 'playback copy already being made elsewhere; this job leaves it');
      },
    },
    {
      name: PLAYBACK_REPAIR_JOB,
      // the original checked and decrypted, a playback copy made from it as at ingest: minutes.
      expireInSeconds: 60 * 60,
      retryLimit: 5,
      handle: async (data) => {
        if (typeof data['recordingId'] !== 'string') throw new Error('A playback repair job without a recording id');
        await recordings.repairPlayback(data['recordingId']);
      },
    },
    mailDeliveryWorker(mail),
    {
      name: DISCLOSURE_COPY_JOB,
      // A two-hour recording: decrypted, redacted, encoded, checked and stored in a few minutes.
      expireInSeconds: 2 * 60 * 60,
      retryLimit: DISCLOSURE_MAX_ATTEMPTS - 1,
      handle: async (data) => {
        if (typeof data['copyId'] !== 'string') throw new Error('A disclosure copy job without a copy id');
        await disclosureCopies.run(data['copyId']);
      },
    },
  ];
  // Every stored file a record refers to: the orphan sweep keeps them, key rotation rewrites the encrypted ones.
  const referencedBlobKeys = async (): Promise<string[]> => [
    ...(await convening.referencedReportBlobKeys()),
    ...(await uow.run((repos) => repos.recordings.referencedBlobKeys())),
    ...(await disclosureCopies.referencedBlobKeys()),
    // Issued documents (W-1, W-3): every copy's fixed bytes are kept for good.
    ...(await uow.run((repos) => repos.documents.referencedBlobKeys())),
    // Signed undertakings not to share a recording of a meeting (P-1).
    ...(await uow.run((repos) => repos.recordingPermission.referencedBlobKeys())),
    // Copies of the family's recording handed over on request (P-7).
    ...(await uow.run((repos) => repos.recordingConsent.referencedBlobKeys())),
    // Parents' own reports to a conference (002 §3.2).
    ...(await participation.referencedBlobKeys()),
  ];
  // the recordings key rotated by rewriting each encrypted file's header, never its payload (cpcr recording-key).
  const keyCustody = new KeyCustodyService({
    uow,
    blobs,
    headers: ageHeaders(),
    clock,
    referenced: referencedBlobKeys,
  });

  const scheduledJobs: ScheduledJob[] = [
    {
      name: 'audit-checkpoint',
      cron: `*/${config.auditCheckpointMinutes} * * * *`,
      run: async () => {
        try {
          const r = await auditTrail.checkpoint();
          if (r.written) logger.info({ size: r.size }, 'audit checkpoint written');
        } catch (err) {
          // An alert for monitoring: the trail no longer extends its last signed checkpoint.
          if (err instanceof AuditTamperError) logger.fatal({ alert: 'audit-tamper' }, err.message);
          throw err;
        }
      },
    },
    {
      // every stored original is re-read within the fixity cycle; a mismatch raises an alert.
      name: 'recording-fixity',
      cron: '17 * * * *',
      run: async () => {
        const r = await recordings.fixitySweep(200);
        if (r.checked) logger.info(r, 'fixity checks done');
      },
    },
    {
      // Files no record refers to (a crash between storing a file and saving its row), after a day.
      name: 'blob-orphan-sweep',
      cron: '40 3 * * *',
      run: async () => {
        const r = await sweepOrphanedBlobs({ blobs, now, referenced: referencedBlobKeys });
        if (r.deleted.length)
          logger.warn({ deleted: r.deleted.length, listed: r.listed }, 'deleted stored files no record refers to');
      },
    },
    {
      // Recordings left in processing, or stored and not yet playable, by a crash are queued again (both jobs are
      // idempotent).
      name: 'recording-requeue-stalled',
      cron: '*/10 * * * *',
      run: async () => {
        const n = await recordings.requeueStalled();
        if (n) logger.warn({ count: n }, 'queued stalled recordings again');
      },
    },
    mailSweepJob(mail, logger),
    {
      // approved destructions left unfinished by a crash or a lost job are queued again (the job is idempotent).
      name: 'retention-disposal-requeue',
      cron: '*/15 * * * *',
      run: async () => {
        const n = await retention.requeueUnfinished();
        if (n) logger.warn({ count: n }, 'queued unfinished disposals again');
      },
    },
    {
      // Disclosure copies left queued or running by a crash are queued again (the job is idempotent).
      name: 'disclosure-copy-requeue-stalled',
      cron: '*/10 * * * *',
      run: async () => {
        const n = await disclosureCopies.requeueStalled();
        if (n) logger.warn({ count: n }, 'queued stalled disclosure copies again');
      },
    },
    // Uploads nobody finished: leftovers untouched for 7 days deleted, their recordings cancelled (audited).
    abandonedUploadsJob({ dataDir: config.dataDir, ...(sharedTus ? { sharedTus } : {}), recordings, logger, now }),
    {
      // 002 §3.7: a core group due within 3 working days with none booked reminds the lead social worker (or the
      // team manager) once per due date; each reminder is claimed once, so two nodes never both send it.
      name: CORE_GROUP_REMINDER_JOB,
      cron: '0 8 * * 1-5',
      run: async () => {
        const r = await coreGroupReminders.sendReminders();
        if (r.due) logger.info(r, 'reminded lead social workers of core groups due');
      },
    },
    {
      // P-9: an open covert recording incident reminds its chair every few working days until it is closed
      // (COVERT_REMINDER_WORKING_DAYS); each reminder is claimed once, so two nodes never both send it.
      name: COVERT_REMINDER_JOB,
      cron: '0 8 * * 1-5',
      run: async () => {
        const r = await recordingIncidents.sendReminders();
        if (r.due) logger.info(r, 'reminded chairs of open covert recording incidents');
      },
    },
  ];

  return {
    config,
    logger,
    clock,
    database,
    uow,
    secondFactor,
    calendar,
    timescales,
    accounts,
    /** Signing in with the council's identity provider; undefined when OIDC_ISSUER is not set. */
    councilSignIn,
    people,
    childRecords,
    blobs,
    convening,
    rearrangement,
    conferenceView,
    documentSending,
    meeting,
    dashboards,
    recordingsAttention,
    documents,
    amendments,
    complaints,
    recordingIncidents,
    recordingPermission,
    planEndings,
    coreGroups,
    coreGroupReminders,
    conferenceRequests,
    chairing,
    requestAdvice,
    undertakingLinks,
    recordingConsent,
    participation,
    auditTrail,
    queue,
    /** Whether this node can take traffic (GET /readyz): database, migrations, blob store, job queue. */
    readiness: createReadiness({ database, blobs, queue }),
    scheduledJobs,
    workers,
    recordings,
    keyCustody,
    /**
     * For start-up, before any job runs: ingests this node was running when it stopped are resumed at once
     * (their stale active jobs cancelled, uncommitted encrypted files removed, ingest queued again).
     */
    recoverInterruptedIngests: async () => {
      // Only recordings no running ingest or playable job holds: with shared staging the list is every node's, and a
      // live node's work must be left alone; a dead node's locks went with its connection.
      for (const id of await staging.list())
        await ingestLocks.withLock(id, () =>
          ingestLocks.withLock(playableLockOf(id), () =>
            recordings.recoverInterruptedIngests(new Set([id]), {
              beforeRequeue: (rid, job) =>
                queue.cancelActive(job === 'ingest' ? RECORDING_INGEST_JOB : RECORDING_PLAYABLE_JOB, rid),
            }),
          ),
        );
    },
    /** Recording files arriving (multipart and tus) under the data folder. */
    uploads: recordingUploads(config.dataDir, diskSpace(config.dataDir, config.diskReserveBytes), sharedTus),
    /** The audit log for entries outside a use case's transaction (sign-in, denials), each in its own. */
    audit: auditLogFor(database.db, () => clock.now(), false, onAuditAppended),
    disclosureCopies,
    staging,
    mail,
    letterWording,
    councilSettings,
    retention,
    requests,
    deliveries,
    async close() {
      await queue.stop();
      await audited.close();
      await mail.close();
      await database.close();
    },
  };
}

export type Services = Awaited<ReturnType<typeof buildServices>>;
