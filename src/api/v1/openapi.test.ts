import { readdirSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';
import { DashboardService } from '../../app/conferences/dashboard-service.ts';
import { ConveningService } from '../../app/conferences/convening-service.ts';
import { ConferenceViewService } from '../../app/conferences/conference-view.ts';
import { MeetingService } from '../../app/conferences/meeting-service.ts';
import { RearrangementService } from '../../app/conferences/rearrangement-service.ts';
import { DocumentService } from '../../app/documents/document-service.ts';
import { DocumentSendingService } from '../../app/documents/sending.ts';
import { AmendmentService } from '../../app/documents/amendments.ts';
import { ComplaintService } from '../../app/complaints/complaint-service.ts';
import { RecordingIncidentService } from '../../app/recording-incidents/recording-incident-service.ts';
import { RecordingPermissionService } from '../../app/recording-permission/service.ts';
import { PlanEndingService } from '../../app/plan-endings/service.ts';
import { CoreGroupService } from '../../app/core-groups/service.ts';
import { ConferenceRequestsService } from '../../app/conference-requests/service.ts';
import { ChairingService } from '../../app/conferences/chairing/service.ts';
import { RequestAdviceService } from '../../app/requests/advice.ts';
import { RecordingConsentService } from '../../app/recording-consent/service.ts';
import { ParticipationService } from '../../app/participation/service.ts';
import { PeopleService } from '../../app/people/people-service.ts';
import { ChildRecordService } from '../../app/people/child-record.ts';
import { RecordingService } from '../../app/recordings/recording-service.ts';
import { DeliveryService } from '../../app/requests/delivery-service.ts';
import { DisclosureCopyService } from '../../app/requests/disclosure-copies.ts';
import { RequestService } from '../../app/requests/request-service.ts';
import { CouncilSettingsService } from '../../app/settings/council-settings-service.ts';
import { RetentionService } from '../../app/retention/retention-service.ts';
import { SecondFactorService } from '../../app/second-factor/second-factor-service.ts';

/** The app services whose use cases a council's case system drives, as src/composition.ts builds them. */
const SERVICES: ReadonlyArray<{ name: string; prototype: object }> = [
  RequestService,
  DeliveryService,
  DisclosureCopyService,
  PeopleService,
  ChildRecordService,
  ConveningService,
  MeetingService,
  RearrangementService,
  ConferenceViewService,
  DashboardService,
  RecordingService,
  DocumentService,
  DocumentSendingService,
  CouncilSettingsService,
  RetentionService,
  AmendmentService,
  ComplaintService,
  RecordingIncidentService,
  RecordingPermissionService,
  PlanEndingService,
  CoreGroupService,
  ConferenceRequestsService,
  ChairingService,
  RequestAdviceService,
  RecordingConsentService,
  ParticipationService,
  SecondFactorService,
];

/**
 * Public methods that are not intents a case system could drive, each with why. A method listed here
 * that no longer exists fails the test, so the list cannot go stale.
 */
const NOT_INTENTS: Readonly<Record<string, string>> = {
  // The audio record
  'RecordingService.resumeHandOver':
    'part of the tus protocol: a HEAD or PATCH on the upload finishes a hand-over a crash interrupted',
  'RecordingService.recoverInterruptedIngests': 'run by the service itself as it starts, before any background work',
  'RecordingService.repairPlayback':
    'the playback-repair job’s work; POST /recordings/{id}/playback-repair asks for it',
  // Requests for copies
  'RequestService.takeStep': 'the engine behind the typed steps, each of which is its own operation',
  'RequestService.disclosurePlan': 'read by startCopy, which starts the copy from it',
  'RequestService.send':
    'records a link made beforehand; the API sends with sendCopy: the link made and the sending recorded in one transaction',
  'RequestService.page':
    'the request page’s read in one transaction; GET /requests/{id} and GET /requests/{id}/deliveries answer the same',
  'RequestService.conferenceRequests':
    'the conference’s requests page: GET /conferences/{id}/requests and GET /conferences/{id}/requests/choices answer it',
  'RequestService.answerReceive':
    'the new-request form as answered (check, then record); POST /conferences/{id}/requests records it, every problem at once',
  'RequestService.answerReferral':
    'the referral form as answered, at the version the form reads itself; the API checks, refers and amends as three operations with the caller’s version',
  'RequestService.copyFilePage': 'the player page of one file of a copy (a person listening before approving, A-4)',
  'DeliveryService.create': 'makes a link without recording the sending; sendCopy does both in one transaction',
  'DeliveryService.revoke': 'called by RequestService.cancelLink, which first checks the link is the request’s own',
  'DeliveryService.createWithin': 'runs inside sendCopy’s transaction',
  'DeliveryService.createReplacementWithin': 'runs inside RequestService.sendNewLink’s transaction',
  'DeliveryService.previousLinkWithin': 'a read RequestService.sendNewLink and newLinkForm make in their transaction',
  'DeliveryService.linkTerms': 'configuration the new-link page words its hints with (no record, no personal data)',
  'RequestService.newLinkForm':
    'the new-link page’s read; GET /requests/{id}/deliveries answers the links, and the step answers every refusal',
  'DeliveryService.summaryWithin': 'the inside of DeliveryService.summary, in the caller’s transaction',
  'DeliveryService.listWithin': 'runs inside the request page’s read (RequestService.page), which audits the view once',
  'DeliveryService.deliveryReady': 'a check a step makes before recording the copy as sent',
  'DeliveryService.open': 'the requester’s own download page (no account: a link and a one-time code)',
  'DeliveryService.sendCode': 'the requester’s own download page',
  'DeliveryService.checkCode': 'the requester’s own download page',
  'DeliveryService.hasGrant': 'the requester’s own download page',
  'DeliveryService.download': 'the requester’s own download page',
  'DeliveryService.grantDownload': 'the requester’s own download page: pressing Download opens a download window',
  'DeliveryService.fetchDownload': 'the requester’s own download page: the window’s address, whole or a byte range',
  'DeliveryService.linkKind': 'the requester’s own download page: words the page for a link that no longer works',
  'DeliveryService.revokeWithin': 'runs inside DocumentSendingService.revokeLink’s transaction (and revoke’s)',
  'DeliveryService.createForDocumentWithin': 'runs inside DocumentSendingService.secureLink’s transaction',
  'DeliveryService.summariesWithin': 'runs inside DocumentSendingService.distribution’s read, which audits the view',
  'DeliveryService.prepareDocumentLink':
    'makes the token for DocumentSendingService.secureLink’s email before it is stored',
  'DisclosureCopyService.start': 'called by RequestService.startCopy with the referral’s recordings and withheld parts',
  'DisclosureCopyService.status': 'read through RequestService.copyPage, which checks the copy is the request’s own',
  'DisclosureCopyService.run': 'the background job that makes a copy',
  'DisclosureCopyService.requeueStalled': 'a scheduled sweep for copies a crash left behind',
  'DisclosureCopyService.referencedBlobKeys': 'the orphaned-file sweep',
  'ParticipationService.referencedBlobKeys': 'the orphaned-file sweep',
  'DisclosureCopyService.copyReady': 'a check RequestService.prepareCopy makes',
  'DisclosureCopyService.list': 'the files the requester downloads, through DeliveryService',
  'DisclosureCopyService.openFile': 'decrypts a file for the download page or the player, whose callers decide access',
  'DisclosureCopyService.progress':
    'the copy page’s live progress poll; GET /requests/{id}/copies/{copyId} (copyPage) answers the same',
  'DisclosureCopyService.listen': 'a person listening in the browser player before approving (A-4): streamed audio',
  // Retention and disposal
  'RetentionService.runDisposal': 'the background job that destroys an approved proposal’s records',
  'RetentionService.requeueUnfinished': 'a scheduled sweep for destructions a crash left unfinished',
  'RetentionService.certificatePdf':
    'the certificate as a PDF for people; GET /retention/proposals/{id}/certificate answers the same facts',
  // The chair (002 §4.1)
  'ChairingService.lineManager': 'account administration, on the administrators’ pages (there is no accounts API)',
  'ChairingService.setLineManager': 'account administration, on the administrators’ pages (there is no accounts API)',
  'ChairingService.coverChoices':
    'the cover chair form’s list of chairs; an integration names the cover chair by id (PUT …/chair/cover, 002 §4.1)',
  // Children's records
  'PeopleService.today': 'a date helper',
  'PeopleService.assertCanViewChild': 'the access check other use cases make first',
  'PeopleService.mayRestrictNewChild': 'whether a form shows the restriction question; POST /children answers 403',
  'PeopleService.getChildForChange': 'the change form’s prefill; GET /children/{id} gives the same, with its version',
  'PeopleService.childHeading': 'a change form’s heading',
  'PeopleService.getChildRecord':
    'the record’s details alone, inside the app; GET /children/{id} (ChildRecordService.view) gives them with the rest of the record',
  'PeopleService.prepareNewChild': 'the check-your-answers step; POST /children answers every problem at once (422)',
  'PeopleService.familyMemberProblems':
    'a form’s own check; adding or changing a family member answers every problem at once (422)',
  'PeopleService.getLinkablePerson':
    'the link form’s confirmation; POST /children/{id}/family-members with `personId` makes the same check',
  'PeopleService.addCaseNote':
    'for use cases that have already checked access, writing a note of their own kind; staff write with writeCaseNote',
  // Conferences
  'ConveningService.today': 'a date helper',
  'ConveningService.timescaleSettings':
    'configuration read by pages to word their hints (no record and no personal data)',
  'ConveningService.childrensSocialCareAgency': 'the report form’s default agency (no personal data)',
  'ConveningService.convene': 'the API convenes with conveneAndView (convene, then read the conference), one use case',
  'ConveningService.prepareConvening':
    'the check-your-answers step; POST /conferences answers every problem at once (422)',
  'ConveningService.checkArrangementsWithin': 'runs inside another use case’s transaction (rearranging)',
  'ConveningService.issueInvitationWithin': 'runs inside another use case’s transaction (sending invitations)',
  'ConveningService.invitationsChangedWithin': 'runs inside another use case’s transaction',
  'ConveningService.readOverview': 'runs inside another use case’s transaction (the meeting, dashboards)',
  'ConveningService.referencedReportBlobKeys': 'the orphaned-file sweep',
  'RearrangementService.prepareRearrangement':
    'the check-your-answers step; POST /conferences/{id}/rearrangement answers every problem at once',
  'RearrangementService.prepareCancellation':
    'the check-your-answers step; POST /conferences/{id}/cancellation answers every problem at once',
  'RearrangementService.prepareRecordAfterwards':
    'the check-your-answers step; POST /conferences/recorded-afterwards answers every problem at once',
  'RearrangementService.conferenceWithLifecycle':
    'the page sending the invitations (or cancellation notices): GET /conferences/{id} and GET /conferences/{id}/changes',
  'RearrangementService.lifecycleWithin': 'runs inside ConferenceViewService.viewConference’s transaction',
  'ConferenceViewService.viewConference':
    'the conference page’s read in one transaction, audited once; GET /conferences/{id}, …/changes, …/recordings, …/recording-incidents, …/recording-consent and …/chairing answer its parts',
  'RearrangementService.childConferences':
    'the child’s list page: GET /children/{id}/conferences with each cancelled conference still needed',
  'RearrangementService.reissueWithin': 'runs inside ChairingService.changeChair’s transaction (002 §4.1)',
  'RearrangementService.dispatch': 'sends the emails of reissueWithin once ChairingService.changeChair commits',
  'DashboardService.today': 'a date helper',
  'RecordingIncidentService.sendReminders':
    'the scheduled job reminding chairs of open covert recording incidents (P-9)',
  'RecordingIncidentService.unpermittedForm':
    'the read of the page recording someone recording against the parents’ wishes; POST /conferences/{id}/recording-incidents/unpermitted checks the same',
  'RecordingIncidentService.unpermittedAt':
    'the conference’s list of them alone (the conference page reads it with ConferenceViewService.viewConference); GET /conferences/{id}/recording-incidents answers the same',
  'DashboardService.mayUse': 'whether a page shows the dashboard link; GET /dashboard answers 403',
  // Recordings
  'RecordingService.liveStart': 'the read of the page that starts live recording in the conference room’s browser',
  'RecordingService.startLive': 'live recording streams from a browser in the conference room (R-1), not a case system',
  'RecordingService.appendChunk': 'live recording from a browser in the conference room',
  'RecordingService.pause': 'live recording from a browser in the conference room (R-2 breaks)',
  'RecordingService.resume': 'live recording from a browser in the conference room (R-2 breaks)',
  'RecordingService.stop': 'live recording from a browser in the conference room',
  'RecordingService.assertCanUpload': 'the access check of the resumable upload (tus) routes, at every request',
  'RecordingService.declareClientSha256': 'called by the tus creation route with the `sha256` in its metadata',
  'RecordingService.completeUpload': 'called by the tus PATCH route when the last byte arrives',
  'RecordingService.cancelAbandonedUploads': 'the daily clean-up job',
  'RecordingService.ingest': 'the background job that checks, encrypts and stores a recording',
  'RecordingService.makePlayable':
    'the background job that decodes a stored recording in full and makes its playback copy and waveform',
  'RecordingService.requeueStalled': 'a scheduled sweep for recordings a crash left behind',
  'RecordingService.checkFixity':
    'the check the scheduled cycle runs; checkFixityNow is the API’s, audited as the caller',
  'RecordingService.fixitySweep': 'the scheduled fixity cycle (R-3)',
  'RecordingService.fixityAll': 'the `cpcr fixity verify` command',
  'RecordingService.fixityOverdue': 'the `cpcr fixity` report and monitoring',
  'RecordingService.status': 'the waiting page’s poll; GET /recordings/{id} gives the status',
  'RecordingService.conferenceRecordings': 'the recordings page’s read: GET /conferences/{id}/recordings',
  'RecordingService.startListening': 'a person listening in the browser player, with their reason',
  'RecordingService.listening': 'the player page: a person listening in the browser, and until when they may',
  'RecordingService.statementForm':
    'the statement form’s read; GET /recordings/{id}/statement (draftStatement) answers the statement',
  'RecordingService.playback': 'a person listening in the browser player: byte ranges of audio',
  // Sign-in security: a person's own second factor is set up and used in the browser they sign in with
  'SecondFactorService.status': 'read by the sign-in, account and administrators’ pages',
  'SecondFactorService.pendingUser': 'the sign-in between password and second factor, in the browser',
  'SecondFactorService.startAppEnrolment': 'a person setting up their own authenticator app in the browser',
  'SecondFactorService.confirmAppEnrolment': 'a person setting up their own authenticator app in the browser',
  'SecondFactorService.renewRecoveryCodes': 'a person’s own recovery codes, shown once in their browser',
  'SecondFactorService.verifyCode': 'the second step of signing in to the website (an API token has no second step)',
  'SecondFactorService.passkeySignInOptions': 'signing in with a passkey: the browser’s WebAuthn ceremony',
  'SecondFactorService.verifyPasskey': 'signing in with a passkey: the browser’s WebAuthn ceremony',
  'SecondFactorService.listPasskeys': 'a person’s own passkeys, on their sign-in security page',
  'SecondFactorService.passkeyRegistrationOptions': 'adding a passkey: the browser’s WebAuthn ceremony',
  'SecondFactorService.registerPasskey': 'adding a passkey: the browser’s WebAuthn ceremony',
  'SecondFactorService.removePasskey': 'a person removing their own passkey, signed in with a second factor',
};

/**
 * Intents the staff pages offer that have no API operation yet: each is to be built (in the API file
 * of its area), then removed from here. A listed method that has an operation fails the test.
 */
const NOT_YET_IN_API: Readonly<Record<string, string>> = {};

/**
 * The members each class in src/app declares private or protected, by class name: TypeScript's privacy
 * is gone at run time, so it is read from the source.
 */
function hiddenMembers(): Map<string, Set<string>> {
  const app = new URL('../../app/', import.meta.url);
  const hidden = new Map<string, Set<string>>();
  const files = readdirSync(app, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(new URL(file, app), 'utf8'), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const names = new Set<string>();
      for (const member of node.members) {
        const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
        const kinds = [ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword];
        if (member.name && modifiers.some((m) => kinds.includes(m.kind))) names.add(member.name.getText(source));
      }
      hidden.set(node.name.text, names);
    });
  }
  return hidden;
}

/** The public methods of a service, its own and those it inherits from a class of its own (not Object's). */
function useCases(service: { name: string; prototype: object }, hidden: Map<string, Set<string>>): string[] {
  const names = new Set<string>();
  for (let proto = service.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object) {
    const declaredBy = (proto.constructor as { name: string }).name;
    const own = hidden.get(declaredBy);
    if (!own) throw new Error(`class ${declaredBy} (behind ${service.name}) not found in src/app`);
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name)!;
      if (name !== 'constructor' && typeof d.value === 'function' && !own.has(name)) names.add(name);
    }
  }
  return [...names].map((m) => `${service.name}.${m}`);
}

describe('OpenAPI document', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const routes: Array<{ method: string; url: string }> = [];
  beforeAll(async () => {
    ctx = await createTestServices('pglite');
    app = await testApp(ctx, (r) => {
      for (const method of [r.method].flat())
        if (r.url.startsWith('/api/v1/') && method !== 'HEAD') routes.push({ method, url: r.url });
    });
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  type Operation = { operationId?: string; responses?: Record<string, unknown> };
  const operations = async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, ...op })),
    );
  };

  it('is public and lists every API route with its responses', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = routes.filter((r) => r.url !== '/api/v1/openapi.json');
    expect(documented.length).toBeGreaterThan(10);
    for (const r of documented) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${path} missing from the OpenAPI document`).toBeDefined();
      expect(Object.keys(op?.responses ?? {})).toContain('401');
    }
  });

  it('documents the JSON API only: every path starts with /api/v1, and no page is listed', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
    // Pages with the same words as API routes (and the service's own) are not documented.
    for (const page of [
      '/sign-in',
      '/health',
      '/conferences/{id}/recordings',
      '/uploads/recordings',
      '/recordings/{rid}/audio',
    ])
      expect(doc.paths[page], page).toBeUndefined();
  });

  it('names every operation once; an operation named `Service.method` calls that public use case', async () => {
    const ops = await operations();
    expect(ops.filter((o) => !o.operationId).map((o) => o.at)).toEqual([]);
    const ids = ops.map((o) => o.operationId!);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const hidden = hiddenMembers();
    const known = new Set(SERVICES.flatMap((service) => useCases(service, hidden)));
    // A second operation answering part of a use case's result adds a qualifier: `MeetingService.getMeeting.quoracy`.
    const named = ids.filter((id) => /^[A-Z]\w*Service\./.test(id));
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((id) => !known.has(id.split('.').slice(0, 2).join('.')))).toEqual([]);
  });

  it('offers every use case of the app services as an API operation, unless it is listed with its reason', async () => {
    const operated = new Set((await operations()).map((o) => (o.operationId ?? '').split('.').slice(0, 2).join('.')));
    const hidden = hiddenMembers();
    const all = SERVICES.flatMap((service) => useCases(service, hidden));
    expect(all.length).toBeGreaterThan(100);
    const missing = all.filter((u) => !operated.has(u) && !(u in NOT_INTENTS) && !(u in NOT_YET_IN_API));
    expect(missing, 'use cases with no API operation: build one, or list it with its reason').toEqual([]);
    // The lists stay true: every entry is a current use case, and nothing listed as missing has an operation.
    const listed = [...Object.keys(NOT_INTENTS), ...Object.keys(NOT_YET_IN_API)];
    expect(listed.filter((u) => !all.includes(u))).toEqual([]);
    expect(Object.keys(NOT_INTENTS).filter((u) => operated.has(u))).toEqual([]);
    expect(Object.keys(NOT_YET_IN_API).filter((u) => operated.has(u))).toEqual([]);
  });

  it('names the use case behind each step of a request for a copy, as its page calls it', async () => {
    const byId = new Map((await operations()).map((o) => [o.operationId, o.at]));
    expect(byId.get('RequestService.refer')).toBe('POST /api/v1/requests/{id}/referral');
    expect(byId.get('RequestService.amendReferral')).toBe('PUT /api/v1/requests/{id}/referral');
    expect(byId.get('RequestService.startCopy')).toBe('POST /api/v1/requests/{id}/copies');
    expect(byId.get('RequestService.sendCopy')).toBe('POST /api/v1/requests/{id}/send');
    expect(byId.get('RequestService.cancelLink')).toBe('POST /api/v1/requests/{id}/deliveries/{deliveryId}/cancel');
  });
});
