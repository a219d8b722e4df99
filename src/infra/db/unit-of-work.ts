import type { Repositories, UnitOfWork } from '../../app/unit-of-work.ts';
import { type AuditAppended, auditLogFor } from '../audit/audit-repository.ts';
import { accountsRepository } from './accounts-repository.ts';
import { councilSignInRepository } from '../oidc/repository.ts';
import type { Db, DbOrTx } from './client.ts';
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

/** Every repository but the audit log, on the database or within a transaction. */
function repositoriesOn(db: DbOrTx): Omit<Repositories, 'audit'> {
  return {
    accounts: accountsRepository(db),
    councilSignIn: councilSignInRepository(db),
    secondFactor: secondFactorRepository(db),
    people: peopleRepository(db),
    convening: conveningRepository(db),
    lifecycle: lifecycleRepository(db),
    meeting: meetingRepository(db),
    dashboard: dashboardRepository(db),
    recordings: recordingsRepository(db),
    copyRequests: copyRequestsRepository(db),
    disclosureCopies: disclosureCopiesRepository(db),
    deliveries: deliveryRepository(db),
    documents: documentsRepository(db),
    distribution: distributionRepository(db),
    amendments: amendmentsRepository(db),
    documentSendings: documentSendingRepository(db),
    complaints: complaintsRepository(db),
    recordingIncidents: recordingIncidentsRepository(db),
    recordingPermission: recordingPermissionRepository(db),
    recordingConsent: recordingConsentRepository(db),
    participation: participationRepository(db),
    coreGroups: coreGroupsRepository(db),
    planEndings: planEndingsRepository(db),
    conferenceRequests: conferenceRequestsRepository(db),
    chairing: chairingRepository(db),
    requestAdvice: requestAdviceRepository(db),
    keyCustody: keyCustodyRepository(db),
    messageTemplates: messageTemplateRepository(db),
    outbox: outboxRepository(db),
    councilSettings: councilSettingsRepository(db),
  };
}

/** `onAuditAppended` is told each audit entry's number (the audit trail checkpoints every so many entries). */
export function createUnitOfWork(db: Db, clock: () => Date, onAuditAppended?: AuditAppended): UnitOfWork {
  return {
    run<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
      return db.transaction(async (tx) =>
        fn({
          ...repositoriesOn(tx),
          audit: auditLogFor(tx, clock, true, onAuditAppended),
        }),
      );
    },
    read<T>(fn: (repos: Omit<Repositories, 'audit'>) => Promise<T>): Promise<T> {
      return fn(repositoriesOn(db));
    },
  };
}
