/**
 * Convening a conference: choose the child (or start from their record), the sibling group, the
 * type and the date its clock runs from, the arrangements, the senior manager's agreement when the
 * date is outside the timescale (T-1), then check answers and save. Answers live in an encrypted
 * draft cookie until then; every step is checked again by the service, and nothing is saved before
 * the last.
 */
import type { FastifyInstance } from 'fastify';
import { arrangementsPage, arrangementsRoutes } from './arrangements.ts';
import { checkAnswersRoutes } from './check-answers.ts';
import { childrenPage, childrenRoutes } from './children.ts';
import { findChildRoutes } from './find-child.ts';
import { ConveningJourney, type ConveningPageServices } from './journey.ts';
import { timescalePage, timescaleRoutes } from './timescale.ts';
import { typePage, typeRoutes } from './type.ts';

export type { ConveningPageServices };

export async function conveningJourney(app: FastifyInstance, services: ConveningPageServices): Promise<void> {
  const journey = new ConveningJourney(services);
  Object.assign(journey.pages, {
    children: childrenPage,
    type: typePage,
    arrangements: arrangementsPage,
    timescale: timescalePage,
  });
  findChildRoutes(app, journey);
  childrenRoutes(app, journey);
  typeRoutes(app, journey);
  arrangementsRoutes(app, journey);
  timescaleRoutes(app, journey);
  checkAnswersRoutes(app, journey);
}
