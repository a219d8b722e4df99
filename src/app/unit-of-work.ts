import type { AccountsRepository } from './accounts/ports.ts';
import type { CouncilSignInRepository } from './accounts/council-sign-in-ports.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { ConveningRepository } from './conferences/convening-ports.ts';
import type { LifecycleRepository } from './conferences/lifecycle-ports.ts';
import type { MessageTemplateRepository, OutboxRepository } from './mail/ports.ts';
import type { DashboardRepository } from './conferences/dashboard-ports.ts';
import type { MeetingRepository } from './conferences/meeting-ports.ts';
import type { PeopleRepository } from './people/ports.ts';
import type { RecordingsRepository } from './recordings/ports.ts';
import type { CopyRequestsRepository } from './requests/ports.ts';
import type { DisclosureCopiesRepository } from './requests/disclosure-ports.ts';
import type { DeliveryRepository } from './requests/delivery-ports.ts';
import type { DocumentsRepository } from './documents/documents-ports.ts';
import type { DistributionRepository } from './documents/distribution-ports.ts';
import type { AmendmentsRepository } from './documents/amendments-ports.ts';
import type { CouncilSettingsRepository } from './settings/ports.ts';
import type { DocumentSendingRepository } from './documents/sending-ports.ts';
import type { ComplaintsRepository } from './complaints/ports.ts';
import type { RecordingIncidentsRepository } from './recording-incidents/ports.ts';
import type { RecordingPermissionRepository } from './recording-permission/ports.ts';
import type { RecordingConsentRepository } from './recording-consent/ports.ts';
import type { ParticipationRepository } from './participation/ports.ts';
import type { CoreGroupsRepository } from './core-groups/ports.ts';
import type { PlanEndingsRepository } from './plan-endings/ports.ts';
import type { ConferenceRequestsRepository } from './conference-requests/ports.ts';
import type { ChairingRepository } from './conferences/chairing/ports.ts';
import type { RequestAdviceRepository } from './requests/advice-ports.ts';
import type { KeyCustodyRepository } from './blobs/key-custody.ts';
import type { SecondFactorRepository } from './second-factor/ports.ts';

/** Everything a use case may read or write, bound to one transaction. */
export interface Repositories {
  accounts: AccountsRepository;
  /** Council identities joined to accounts, and sign-ins on their way through the council's provider. */
  councilSignIn: CouncilSignInRepository;
  /** The second factor of password sign-in: authenticator apps, recovery codes, passkeys. */
  secondFactor: SecondFactorRepository;
  people: PeopleRepository;
  convening: ConveningRepository;
  /** A conference rearranged, cancelled or recorded afterwards; invitations emailed or posted. */
  lifecycle: LifecycleRepository;
  meeting: MeetingRepository;
  dashboard: DashboardRepository;
  recordings: RecordingsRepository;
  /** Requests for copies of recordings (A-1 … A-10). */
  copyRequests: CopyRequestsRepository;
  /** Disclosure copies of recordings made for a request. */
  disclosureCopies: DisclosureCopiesRepository;
  /** Secure delivery of a copy to the requester: links, one-time codes, downloads. */
  deliveries: DeliveryRepository;
  /** The written record (W-1 … W-4): drafts, the chair's comments, issued copies and recipients' arrangements. */
  documents: DocumentsRepository;
  /** Who gets what (W-4): recipients added or removed by hand, and agencies with no current involvement. */
  distribution: DistributionRepository;
  /** Amendments to the written record (W-5, T-8): requests, points and the chair's decisions. */
  amendments: AmendmentsRepository;
  documentSendings: DocumentSendingRepository;
  /** Complaints about a conference (W-7): stages, outcome, and the investigator's access while open. */
  complaints: ComplaintsRepository;
  /** When recording goes wrong: someone recording against the parents' wishes (P-8), covert recording found (P-9). */
  recordingIncidents: RecordingIncidentsRepository;
  /** Requests to record a meeting (P-1, P-2, P-3, P-6, T-11): the request, the decision, professionals' views. */
  recordingPermission: RecordingPermissionRepository;
  /** The family's recording on the day (P-4, P-5, P-7): requests made in the meeting, consent rounds, copies. */
  recordingConsent: RecordingConsentRepository;
  /** Participation (002 §3.2): children's attendance, supporters barred, advocates, parents' reports and help. */
  participation: ParticipationRepository;
  /** Core groups (002 §3.7, §3.10, §3.11): meetings under a child's plan, their records, the lead social worker appointed. */
  coreGroups: CoreGroupsRepository;
  /** Plans ending, stepping down and moving away (002 §3.8, §3.9, T-4): endings, agencies told, transfers out. */
  planEndings: PlanEndingsRepository;
  /** Professionals' requests for a conference (002 §1.1), and why a conference is held (002 §1.3, §2.2). */
  conferenceRequests: ConferenceRequestsRepository;
  /** The chair (002 §4.1): reasons for a chair not independent of the case, the meeting with the family, line managers. */
  chairing: ChairingRepository;
  /** advice asked of the information management team on a request for a copy, and its answer. */
  requestAdvice: RequestAdviceRepository;
  /** Rewrites of encrypted files' headers when the recordings key is rotated (R-3, R-4). */
  keyCustody: KeyCustodyRepository;
  /** Email: a use case queues its message with `mail.queueWithin(repos, …)` so both commit together. */
  messageTemplates: MessageTemplateRepository;
  outbox: OutboxRepository;
  /** The council's local policy settings (003). */
  councilSettings: CouncilSettingsRepository;
  audit: AuditLog;
}

/** Runs a use case's writes and its audit entries atomically: a change is never saved unaudited. */
export interface UnitOfWork {
  run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * A single read outside any transaction (no BEGIN and COMMIT around it): for the lookup made on every request
   * (the session or API token with its account), which one statement answers consistently. Never for writes: the
   * repositories have no audit log here, and anything changed goes through `run`.
   */
  read<T>(fn: (repos: Omit<Repositories, 'audit'>) => Promise<T>): Promise<T>;
}

export interface Clock {
  now(): Date;
}
