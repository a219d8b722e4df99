/**
 * Children's records: finding one, adding one (details, then check and save), the record itself, changing
 * its details, its family and network, its professionals and its case notes. One page or step per file.
 */
import type { FastifyInstance } from 'fastify';
import type { PeopleService } from '../../../app/people/people-service.ts';
import type { ChildRecordService } from '../../../app/people/child-record.ts';
import type { Clock } from '../../../app/unit-of-work.ts';
import { DraftStore } from '../../draft-store.ts';
import { checkStep } from './add/check.ts';
import { detailsStep } from './add/details.ts';
import { caseNotePage } from './case-note.ts';
import { changePage } from './change.ts';
import { changePersonPage } from './family/change.ts';
import { choosePage } from './family/choose.ts';
import { linkPage } from './family/link.ts';
import { newPersonPage } from './family/new-person.ts';
import { removePersonPage } from './family/remove.ts';
import { findPage } from './find.ts';
import { addProfessionalPage } from './professionals/add.ts';
import { removeProfessionalPage } from './professionals/remove.ts';
import { recordPage } from './record.ts';

export interface ChildrenRoutesOptions {
  people: PeopleService;
  /**
   * The record as its page shows it, with the recordings kept on it (R-4), the plan (002 §3.9), the core group due
   * (002 §3.7) and professionals' requests for a conference (002 §1.1).
   */
  childRecords: Pick<ChildRecordService, 'view'>;
  clock: Clock;
  /** Keys the encrypted draft of a child being added. */
  sessionSecret: string;
  cookieSecure: boolean;
}

export async function childrenRoutes(app: FastifyInstance, opts: ChildrenRoutesOptions): Promise<void> {
  const { people, clock } = opts;
  const drafts = new DraftStore({
    secret: opts.sessionSecret,
    cookieSecure: opts.cookieSecure,
    name: 'child',
    path: '/children/new',
  });

  findPage(app, { people });
  detailsStep(app, { people, clock, drafts });
  checkStep(app, { people, clock, drafts });
  recordPage(app, { childRecords: opts.childRecords });
  changePage(app, { people });

  choosePage(app, { people });
  linkPage(app, { people });
  newPersonPage(app, { people });
  changePersonPage(app, { people });
  removePersonPage(app, { people });

  addProfessionalPage(app, { people });
  removeProfessionalPage(app, { people });
  caseNotePage(app, { people });
}
