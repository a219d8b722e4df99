/** What the pages and the API see of professionals' requests for a conference (002 §1.1), and what the use cases need. */
import type {
  DecisionForm,
  NewRequestForm,
  RequestStatus,
  SupportKind,
} from '../../domain/conference-requests/requests.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';

export interface ConferenceRequestsDeps {
  uow: UnitOfWork;
  clock: Clock;
  mail: MailService;
}

export interface ConferenceRequestView {
  id: string;
  childId: string;
  /** "Given Family"; null when the viewer may not see the child (never in a list they cannot open). */
  childName: string;
  requester: { professionalId: string | null; name: string; agency: string; role: string; email: string | null };
  reasons: string;
  support: { value: SupportKind; label: string; supporterName: string | null; supported: boolean };
  status: { value: RequestStatus; label: string };
  recordedAt: Date;
  recordedByName: string | null;
  decision: {
    decidedByName: string | null;
    decidedAt: Date;
    reasons: string | null;
    discussion: string | null;
    exceptionReason: string | null;
  } | null;
  /** Whether the requester was emailed the decision (only when they have an address). */
  requesterEmailed: boolean;
  /** Agreed and not yet answered: where convening starts with the child already chosen. */
  conveneLink: string | null;
  /** 002 §1.1: the conference convened from the request (one only), once it is. */
  conference: { id: string; scheduledDate: string; href: string } | null;
  /** Whether the requester was emailed the conference's date. */
  requesterToldOfConference: boolean;
}

/** The professionals on a child's record, to choose who asked. */
export interface RequesterChoice {
  professionalId: string;
  name: string;
  roleTitle: string;
  agencyName: string;
  hasEmail: boolean;
}

export type NewConferenceRequestInput = NewRequestForm;

export type DecideConferenceRequestInput = DecisionForm;
