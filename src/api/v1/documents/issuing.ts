/**
 * Issuing the approved document and downloading an issued copy (W-1 … W-4). Issuing makes one fixed copy per
 * recipient, as a tagged PDF (large print where arranged) and as HTML, each kept with its bytes, SHA-256 and
 * the log of what it left out; the copies and versions issued are listed with the conference's documents. A
 * download is the issued bytes exactly, checked against the SHA-256 kept when they were issued.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentUseCases, IssueResult } from '../../../app/documents/use-cases.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse, requestContext } from '../schemas.ts';
import {
  DRAFT,
  READ,
  TAGS,
  conferenceParams,
  draftParams,
  errors,
  issuedOut,
  issuedSchema,
  readErrors,
  taskOut,
  taskSchema,
  version,
  withDocumentRules,
} from './schemas.ts';

const issueResultSchema = z.object({
  issueNumber: z.number().int().describe('1 for the first issue of the document'),
  copies: z.array(issuedSchema).describe('One per recipient and format'),
  tasks: z.array(taskSchema).describe('W-4: one per arrangement, on business support’s dashboard until done'),
});

const issueResultOut = (r: IssueResult) => ({
  issueNumber: r.issueNumber,
  copies: r.copies.map(issuedOut),
  tasks: r.tasks.map(taskOut),
});

const bytes = (what: string) => ({ schema: z.string().meta({ format: 'binary', description: what }) });

/** A file name names no person: only the kind, the conference date, the issue and the copy. */
const contentDisposition = (fileName: string) => `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`;

export function issuingApi(app: FastifyInstance, documents: DocumentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/documents/drafts/:draftId/issue',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.issue',
        summary: 'Issue the approved document: one fixed copy per recipient, as tagged PDF and HTML',
        description: [
          'Business support or a chair, once the chair has approved it (409 otherwise). Each recipient gets their copy: the full record for professionals and agencies, a parent’s copy marked PARENT’S COPY with the chair’s withholdings left out (W-3), a child’s copy where the chair decided (W-4), in large print where arranged.',
          'Each copy is kept as a fixed version with its bytes, SHA-256, who approved and issued it and what it left out; it is never changed. Audited.',
        ].join('\n\n'),
        tags: TAGS,
        params: draftParams,
        body: z.object({ version }),
        response: { 201: issueResultSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        const result = await documents.issue(request.actor!, p.id, p.draftId, request.body, requestContext(request));
        return reply.code(201).send(issueResultOut(result));
      }),
  );

  api.get(
    '/conferences/:id/documents/issued/:issuedId/file',
    {
      config: READ,
      schema: {
        operationId: 'DocumentService.download',
        summary: 'Download an issued copy: the PDF or HTML exactly as issued',
        description: [
          'The bytes issued, checked against the SHA-256 kept when they were issued (listed with the conference’s documents, and sent in the `Repr-Digest` header, RFC 9530) so whoever receives the file can check it. The file name names no person.',
          'A copy of another conference is 404; a copy whose bytes no longer match is not sent (500). Audited as a view of sensitive data.',
        ].join('\n\n'),
        tags: TAGS,
        params: conferenceParams.extend({ issuedId: idSchema.describe('The issued copy’s id') }),
        response: {
          200: {
            description: 'The issued copy',
            content: {
              'application/pdf': bytes('A tagged PDF'),
              'text/html': bytes('An accessible HTML page'),
            },
          },
          ...readErrors,
          500: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const p = request.params;
      let copy;
      try {
        copy = await documents.download(request.actor!, p.id, p.issuedId, requestContext(request));
      } catch (err) {
        // The stored bytes are not those issued: nothing is sent, and the failure is audited and reported.
        if (err instanceof DomainError && err.code === 'DOCUMENT_INTEGRITY')
          return reply.code(500).send({ error: 'document_integrity', message: err.message });
        throw err;
      }
      reply.header('Content-Type', copy.record.mediaType);
      reply.header('Content-Disposition', contentDisposition(copy.fileName));
      reply.header('Content-Length', String(copy.bytes.byteLength));
      reply.header('Repr-Digest', `sha-256=:${Buffer.from(copy.record.sha256, 'hex').toString('base64')}:`);
      reply.header('Cache-Control', 'no-store');
      // The bytes as issued: no JSON serialisation (the 200 response is described by media type, not as JSON).
      const raw: FastifyReply = reply;
      return raw.send(Buffer.from(copy.bytes.buffer, copy.bytes.byteOffset, copy.bytes.byteLength));
    },
  );
}
