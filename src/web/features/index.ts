import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../app/audit/audit-log.ts';
import type { Services } from '../../composition.ts';
import { accountRoutes } from './account/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { childrenRoutes } from './children/routes.ts';
import { conferenceRoutes } from './conferences/routes.ts';
import { meetingRoutes } from './conferences/meeting/routes.ts';
import { dashboardRoutes } from './dashboards/routes.ts';
import { deadlineRoutes } from './deadlines/routes.ts';
import { documentRoutes } from './documents/routes.ts';
import { amendmentRoutes } from './amendments/routes.ts';
import { complaintRoutes } from './complaints/routes.ts';
import { recordingPermissionRoutes } from './recording-permission/index.ts';
import { participationRoutes } from './participation/index.ts';
import { planEndingRoutes } from './plan-endings/index.ts';
import { conferenceRequestRoutes } from './conference-requests/index.ts';
import { coreGroupRoutes } from './core-groups/index.ts';
import { recordingIncidentRoutes } from './recording-incidents/routes.ts';
import { recordingConsentRoutes } from './recording-consent/routes.ts';
import { homeRoutes } from './home/routes.ts';
import { outboxRoutes } from './outbox/routes.ts';
import { downloadRoutes } from './download/routes.ts';
import { recordingFeature } from './recordings/index.ts';
import { requestRoutes } from './requests/index.ts';
import { requestAdviceRoutes } from './requests/advice.ts';
import { settingsRoutes } from './settings/routes.ts';
import { retentionRoutes } from './retention/routes.ts';
import { secondFactorRoutes } from './second-factor/routes.ts';

export interface FeatureOptions {
  services: Services;
  audit: AuditLog;
}

export async function features(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  await app.register(authRoutes, {
    accounts: opts.services.accounts,
    cookieSecure: opts.services.config.cookieSecure,
    councilSignIn: opts.services.councilSignIn,
  });
  await app.register(secondFactorRoutes, {
    secondFactor: opts.services.secondFactor,
    accounts: opts.services.accounts,
    cookieSecure: opts.services.config.cookieSecure,
  });
  await app.register(homeRoutes);
  await app.register(adminRoutes, {
    accounts: opts.services.accounts,
    chairing: opts.services.chairing,
    councilSignIn: opts.services.councilSignIn?.service,
  });
  await app.register(outboxRoutes, { mail: opts.services.mail, letterWording: opts.services.letterWording });
  await app.register(settingsRoutes, { councilSettings: opts.services.councilSettings });
  await app.register(retentionRoutes, { retention: opts.services.retention });
  await app.register(downloadRoutes, {
    deliveries: opts.services.deliveries,
    cookieSecure: opts.services.config.cookieSecure,
    replyTo: opts.services.config.requestsReplyTo,
  });
  await app.register(accountRoutes, { accounts: opts.services.accounts });
  await app.register(auditRoutes, {
    accounts: opts.services.accounts,
    auditTrail: opts.services.auditTrail,
    audit: opts.audit,
  });
  await app.register(childrenRoutes, {
    people: opts.services.people,
    childRecords: opts.services.childRecords,
    clock: opts.services.clock,
    sessionSecret: opts.services.config.sessionSecret,
    cookieSecure: opts.services.config.cookieSecure,
  });
  await app.register(deadlineRoutes, { calendar: opts.services.calendar, timescales: opts.services.timescales });
  await app.register(conferenceRoutes, {
    convening: opts.services.convening,
    rearrangement: opts.services.rearrangement,
    conferenceView: opts.services.conferenceView,
    people: opts.services.people,
    chairing: opts.services.chairing,
    clock: opts.services.clock,
    timescales: opts.services.timescales,
    config: opts.services.config,
  });
  await app.register(meetingRoutes, {
    meeting: opts.services.meeting,
    planEndings: opts.services.planEndings,
    people: opts.services.people,
    clock: opts.services.clock,
    recordings: opts.services.recordings,
  });
  await app.register(documentRoutes, {
    documents: opts.services.documents,
    recordings: opts.services.recordings,
    sending: opts.services.documentSending,
  });
  await app.register(amendmentRoutes, { amendments: opts.services.amendments });
  await app.register(complaintRoutes, { complaints: opts.services.complaints });
  await app.register(planEndingRoutes, { planEndings: opts.services.planEndings });
  await app.register(recordingPermissionRoutes, {
    recordingPermission: opts.services.recordingPermission,
    undertakingLinks: opts.services.undertakingLinks,
  });
  await app.register(recordingIncidentRoutes, { recordingIncidents: opts.services.recordingIncidents });
  await app.register(recordingConsentRoutes, { recordingConsent: opts.services.recordingConsent });
  await app.register(participationRoutes, { participation: opts.services.participation });
  await app.register(coreGroupRoutes, { coreGroups: opts.services.coreGroups });
  await app.register(conferenceRequestRoutes, { conferenceRequests: opts.services.conferenceRequests });
  await app.register(dashboardRoutes, {
    dashboards: opts.services.dashboards,
    recordingsAttention: opts.services.recordingsAttention,
  });
  await app.register(recordingFeature, {
    recordings: opts.services.recordings,
    uploads: opts.services.uploads,
    recordingMaxBytes: opts.services.config.recordingMaxBytes,
    cookieSecure: opts.services.config.cookieSecure,
  });
  await app.register(requestRoutes, {
    requests: opts.services.requests,
    disclosureCopies: opts.services.disclosureCopies,
  });
  await app.register(requestAdviceRoutes, { requestAdvice: opts.services.requestAdvice });
}
