/**
 * P-9: recording a covert recording found: whoever finds out tells the chair (001). A chair, business support or the
 * allocated social worker records which children it is about, when and how it was found and by whom, and what is
 * known of its publication; the chair is emailed at once. Someone who may not see incidents is shown that it was
 * recorded and whether the chair was told.
 */
import type { FastifyInstance } from 'fastify';
import type { ReportedCovert } from '../../../app/recording-incidents/recording-incident-service.ts';
import {
  PUBLISHED_LABELS,
  PUBLICATION_ANSWERS,
  TAKEN_DOWN_LABELS,
} from '../../../domain/recording-incidents/incidents.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  dateFields,
  dateValues,
  pageProblems,
  readDate,
  readingContext,
  requestContext,
  submit,
  text,
  ticked,
} from '../../forms/index.ts';
import {
  REPORT_COVERT,
  type RecordingIncidentPagesOptions,
  base,
  conferenceParams,
  incidentForm,
  ids,
  render,
} from './shared.ts';

const page = incidentForm('covert-report.njk', 'Record a covert recording', 'covert', (view) => ({
  children: view.children.map((c) => ({ value: c.childId, text: c.name })),
  published: PUBLICATION_ANSWERS.map((a) => ({ value: a, text: PUBLISHED_LABELS[a] })),
  takenDown: PUBLICATION_ANSWERS.map((a) => ({ value: a, text: TAKEN_DOWN_LABELS[a] })),
}));

const DATES = [
  ['foundOn', 'The date it was found'],
  ['publishedOn', 'The date it was published'],
  ['takenDownOn', 'The date it was taken down'],
] as const;

export function covertReportRoutes(app: FastifyInstance, { recordingIncidents }: RecordingIncidentPagesOptions): void {
  app.get('/conferences/:id/recording-incidents/covert/new', { config: REPORT_COVERT }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordingIncidents.overview(request.actor!, id, requestContext(request));
    return page(reply, view, {
      childIds: view.children.map((c) => c.childId),
      foundBy: '',
      howFound: '',
      published: '',
      publishedWhere: '',
      takenDown: '',
      ...dateValues('foundOn', null),
      ...dateValues('publishedOn', null),
      ...dateValues('takenDownOn', null),
    });
  });

  app.post('/conferences/:id/recording-incidents/covert', { config: REPORT_COVERT }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      childIds: ticked(body, 'childIds'),
      foundBy: text(body, 'foundBy', 500),
      howFound: text(body, 'howFound', 10_000),
      published: text(body, 'published', 40),
      publishedWhere: text(body, 'publishedWhere', 10_000),
      takenDown: text(body, 'takenDown', 40),
      ...dateFields(body, 'foundOn'),
      ...dateFields(body, 'publishedOn'),
      ...dateFields(body, 'takenDownOn'),
    };
    // A date that cannot be read is worded by the form; the rules word the rest, and every problem shows at once.
    const unread: FormError[] = [];
    // An unreadable date is sent on as such, so the rules refuse it too and nothing is saved.
    const dates = Object.fromEntries(
      DATES.map(([f, label]) => {
        const before = unread.length;
        const iso = readDate(values, f, label, unread);
        return [f, iso ?? (unread.length > before ? 'unreadable' : '')];
      }),
    ) as Record<(typeof DATES)[number][0], string>;
    const view = await recordingIncidents.overview(request.actor!, id, readingContext(request));
    return submit<ReportedCovert, unknown>({
      call: () =>
        recordingIncidents.reportCovert(
          request.actor!,
          id,
          {
            childIds: values['childIds'] as string[],
            foundOn: dates.foundOn,
            foundBy: values['foundBy'] as string,
            howFound: values['howFound'] as string,
            published: values['published'] as string,
            publishedWhere: values['publishedWhere'] as string,
            publishedOn: dates.publishedOn,
            takenDown: values['takenDown'] as string,
            takenDownOn: dates.takenDownOn,
          },
          requestContext(request),
        ),
      next: (saved) =>
        saved.mayView
          ? reply.redirect(`${base(id)}/covert/${saved.id}?done=reported`, 303)
          : reply.redirect(`${base(id)}/covert/reported?chair=${saved.chairTold ? 'told' : 'none'}`, 303),
      again: (errs, status) => page(reply, view, values, errs, status),
      problems: (err) => {
        const { status, errors } = pageProblems(err, ids);
        const merged = errors.map((e) => unread.find((u) => u.href === e.href) ?? e);
        return { status, errors: [...merged, ...unread.filter((u) => !merged.includes(u))] };
      },
    });
  });

  app.get('/conferences/:id/recording-incidents/covert/reported', { config: REPORT_COVERT }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const q = (request.query ?? {}) as Record<string, unknown>;
    return render(reply, 'covert-reported.njk', 'Covert recording recorded', {
      chairTold: q['chair'] === 'told',
      conferenceHref: `/conferences/${id}`,
    });
  });
}
