/**
 * The conference pages other than the chair's meeting: convening, a conference's page and a child's
 * list of conferences, changing or cancelling one, recording one afterwards, invitations and reports.
 * Each journey's pages are in its own folder, one page or step per file.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../composition.ts';
import { changePages } from './change/index.ts';
import { childConferencesPage } from './child-conferences.ts';
import { conferencePage } from './conference-page.ts';
import { conveningJourney } from './convening/index.ts';
import { invitationPages } from './invitations/index.ts';
import { reportPages } from './reports/index.ts';
import { chairingRoutes } from './chairing/routes.ts';

export interface ConferenceRoutesOptions {
  convening: Services['convening'];
  rearrangement: Services['rearrangement'];
  /** A conference's page, read in one use case. */
  conferenceView: Services['conferenceView'];
  people: Services['people'];
  /** The chair's pages (002 §4.1, chairing/); the conference page's section on chairing is read by conferenceView. */
  chairing?: Services['chairing'];
  clock: Services['clock'];
  timescales: Services['timescales'];
  config: Pick<Services['config'], 'sessionSecret' | 'cookieSecure'>;
}

export async function conferenceRoutes(app: FastifyInstance, opts: ConferenceRoutesOptions): Promise<void> {
  const { convening, rearrangement, conferenceView, people, chairing, clock, timescales, config } = opts;
  await app.register(conveningJourney, { convening, people, clock, timescales, config });
  await app.register(async (pages) => {
    conferencePage(pages, { conferenceView });
    childConferencesPage(pages, { rearrangement });
  });
  await app.register(changePages, { convening, rearrangement });
  if (chairing) await app.register(chairingRoutes, { chairing, convening });
  await app.register(invitationPages, { convening });
  await app.register(reportPages, { convening });
}
