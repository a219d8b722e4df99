import type { Repositories, UnitOfWork } from '../../app/unit-of-work.ts';
import { type AuditAppended, auditLogFor } from '../audit/audit-repository.ts';
import { accountsRepository } from './accounts-repository.ts';
import { councilSignInRepository } from '../oidc/repository.ts';
import type { Db } from './client.ts';
import { conveningRepository } from './conferences/convening-repository.ts';
import { dashboardRepository } from './conferences/dashboard-repository.ts';
import { lifecycleRepository } from './conferences/lifecycle-repository.ts';
import { meetingRepository } from './conferences/meeting-repository.ts';
import { messageTemplateRepository, outboxRepository } from '../mail/repositories.ts';
import { peopleRepository } from './people-repository.ts';
import { recordingsRepository } from './recordings/recordings-repository.ts';
import { copyRequestsRepository } from './requests/requests-repository.ts';
import { disclosureCopiesRepository } from './disclosure/disclosure-repository.ts';
import { deliveryRepository } from './delivery/delivery-repository.ts';
import { documentsRepository } from './documents/repository.ts';
import { distributionRepository } from './distribution/repository.ts';
import { amendmentsRepository } from './amendments/repository.ts';
import { councilSettingsRepository } from './settings/settings-repository.ts';
import { documentSendingRepository } from './documents/sending-repository.ts';
import { complaintsRepository } from './complaints/repository.ts';
import { recordingIncidentsRepository } from './recording-incidents/repository.ts';
import { recordingPermissionRepository } from './recording-permission/repository.ts';
import { recordingConsentRepository } from './recording-consent/repository.ts';
import { participationRepository } from './participation/repository.ts';
import { coreGroupsRepository } from './core-groups/repository.ts';
import { planEndingsRepository } from './plan-endings/repository.ts';
import { conferenceRequestsRepository } from './conference-requests/repository.ts';
import { chairingRepository } from './chairing/repository.ts';
import { requestAdviceRepository } from './requests/advice-repository.ts';
import { keyCustodyRepository } from './key-custody/repository.ts';
import { secondFactorRepository } from './second-factor-repository.ts';

/** `onAuditAppended` is told each audit entry's number (the audit trail checkpoints every so many entries). */
export function createUnitOfWork(db: Db, clock: () => Date, onAuditAppended?: AuditAppended): UnitOfWork {
  return {
    run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
      return db.transaction(async (tx) =>
        fn({
          accounts: accountsRepository(tx),
          councilSignIn: councilSignInRepository(tx),
          secondFactor: secondFactorRepository(tx),
          people: peopleRepository(tx),
          convening: conveningRepository(tx),
          lifecycle: lifecycleRepository(tx),
          meeting: meetingRepository(tx),
          dashboard: dashboardRepository(tx),
          recordings: recordingsRepository(tx),
          copyRequests: copyRequestsRepository(tx),
          disclosureCopies: disclosureCopiesRepository(tx),
          deliveries: deliveryRepository(tx),
          documents: documentsRepository(tx),
          distribution: distributionRepository(tx),
          amendments: amendmentsRepository(tx),
          documentSendings: documentSendingRepository(tx),
          complaints: complaintsRepository(tx),
          recordingIncidents: recordingIncidentsRepository(tx),
          recordingPermission: recordingPermissionRepository(tx),
          recordingConsent: recordingConsentRepository(tx),
          participation: participationRepository(tx),
          coreGroups: coreGroupsRepository(tx),
          planEndings: planEndingsRepository(tx),
          conferenceRequests: conferenceRequestsRepository(tx),
          chairing: chairingRepository(tx),
          requestAdvice: requestAdviceRepository(tx),
          keyCustody: keyCustodyRepository(tx),
          messageTemplates: messageTemplateRepository(tx),
          outbox: outboxRepository(tx),
          councilSettings: councilSettingsRepository(tx),
          audit: auditLogFor(tx, clock, true, onAuditAppended),
        }),
      );
    },
  };
}
