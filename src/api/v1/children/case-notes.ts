/** A child's case notes, for integrations: the same use cases, access rules and audit trail as the record's page. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../../domain/access/roles.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { EDIT, VIEW, caseNoteSchema, errors, idParams } from './schemas.ts';

const caseNoteOut = (n: { id: string; kind: string; text: string; authorLabel: string; createdAt: Date }) => ({
  id: n.id,
  kind: n.kind,
  text: n.text,
  authorLabel: n.authorLabel,
  createdAt: n.createdAt.toISOString(),
});

export async function caseNotesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { people } = services;
  const actorOf = (request: { actor: Actor | null }) => request.actor!;

  api.get(
    '/children/:id/case-notes',
    {
      config: VIEW,
      schema: {
        operationId: 'PeopleService.listCaseNotes',
        summary: 'A child’s case notes, newest first',
        tags: ['children'],
        params: idParams,
        response: { 200: z.object({ caseNotes: z.array(caseNoteSchema) }), ...errors },
      },
    },
    async (request) => {
      const notes = await people.listCaseNotes(actorOf(request), request.params.id, requestContext(request));
      return {
        caseNotes: notes.map(caseNoteOut),
      };
    },
  );

  api.post(
    '/children/:id/case-notes',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.writeCaseNote',
        summary: 'Add a case note to a child’s record',
        tags: ['children'],
        params: idParams,
        body: z.object({ text: z.string().max(10_000) }),
        response: { 201: caseNoteSchema, ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const n = await people.writeCaseNote(
          actorOf(request),
          request.params.id,
          request.body.text,
          requestContext(request),
        );
        return reply.code(201).send(caseNoteOut(n));
      }),
  );
}
