/** Adding an agency's report to a conference: its type is decided from its content, never the browser's. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type FormError, type FormValues, idParams, readingContext, requestContext } from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { EDIT, type ReportServices } from './common.ts';

const UPLOAD_ROUTE = '/conferences/:id/reports/new';
const uploadQuery = z.object({ from: z.unknown().optional() });

export function uploadPage(app: FastifyInstance, { convening }: ReportServices): void {
  const renderUpload = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParams('id').parse(request.params);
    const { overview, candidates } = await convening.invitationCandidates(request.actor!, id, readingContext(request));
    if (!overview.open) {
      // A held, adjourned or cancelled conference takes no more reports: say why, and the way back.
      if (request.method === 'POST') reply.code(409);
      return reply.view('conferences/convening/report-closed.njk', {
        title: 'Reports can no longer be added to this conference',
        o: overview,
      });
    }
    if (errors.length) reply.code(400);
    // Children's social care first (the social worker's report), then the agencies of the people
    // invited (they are the ones asked for reports), then the rest.
    const csc = candidates.childrensSocialCare.agency;
    const invitedAgencies = new Set(overview.invitees.map((i) => i.agencyId).filter(Boolean));
    const sorted = [...candidates.agencies]
      .filter((a) => a.id !== csc?.id)
      .sort(
        (a, b) => Number(invitedAgencies.has(b.id)) - Number(invitedAgencies.has(a.id)) || a.name.localeCompare(b.name),
      );
    return reply.view('conferences/convening/report-upload.njk', {
      title: 'Add a report to the conference',
      o: overview,
      errors,
      values,
      agencyItems: [
        { value: '', text: 'Select the agency' },
        ...(csc
          ? [
              {
                value: csc.id,
                text: `${csc.name}: the social worker’s report`,
                selected: values['agencyId'] === csc.id,
              },
            ]
          : []),
        ...sorted.map((a) => ({ value: a.id, text: a.name, selected: values['agencyId'] === a.id })),
      ],
    });
  };

  app.get(UPLOAD_ROUTE, { config: EDIT }, async (request, reply) => {
    // "Add the social worker's report" from the conference page chooses children's social care.
    const { from } = uploadQuery.parse(request.query);
    if (from !== 'social-worker') return renderUpload(request, reply, {});
    const csc = await convening.childrensSocialCareAgency();
    return renderUpload(request, reply, csc ? { agencyId: csc.id } : {});
  });

  // The CSRF token is the form's first field, checked before the file is read (plugins/csrf.ts).
  app.post(UPLOAD_ROUTE, { config: { ...EDIT, multipartCsrf: true } }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const parts = request.checkedParts;
    if (!request.isMultipart() || !parts) return reply.code(400).view('errors/bad-request.njk');
    let agencyId = '';
    let content: Buffer | null = null;
    let tooLarge = false;
    for await (const part of { [Symbol.asyncIterator]: () => parts }) {
      if (part.type === 'field') {
        if (part.fieldname === 'agencyId' && typeof part.value === 'string') agencyId = part.value;
      } else if (part.fieldname === 'file' && content === null) {
        // The browser's file name and type are ignored: never stored, never part of a path.
        const data = await part.toBuffer();
        tooLarge = part.file.truncated;
        // No file chosen: browsers send an empty part with an empty name.
        content = data.length === 0 && !part.filename ? null : data;
      } else {
        part.file.resume();
      }
    }
    const values: FormValues = { agencyId };
    if (tooLarge)
      return renderUpload(request, reply, values, [
        { text: 'The selected file must be smaller than 20 MB', href: '#file' },
      ]);
    try {
      await convening.uploadReport(request.actor!, id, { agencyId, content }, requestContext(request));
    } catch (err) {
      // A rule (the conference was held meanwhile) re-renders the page saying why; access and not found go to their pages.
      return renderUpload(request, reply, values, serviceErrors(err, values));
    }
    reply.flash('conference-report-added');
    return reply.redirect(`/conferences/${id}#reports`, 303);
  });
}
